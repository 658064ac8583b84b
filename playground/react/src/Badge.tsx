// Uses classnames, a CommonJS package (pre-bundled to ESM by devserver).
import classNames from 'classnames';

export function Badge({ active }: { active: boolean }) {
  return <span id="badge" className={classNames('badge', { 'badge--active': active })}>badge</span>;
}
