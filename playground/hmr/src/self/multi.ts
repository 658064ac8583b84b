// Several accept calls: they all run, in the order they were made. Edit `version`.
import { show } from '../show.ts';

export const version = 1;

show('self-multi', `v${version}`);

if (import.meta.hot) {
  let order: string[] = [];
  import.meta.hot.accept((next) => {
    order = [`v${next?.version}: first`];
  });
  import.meta.hot.accept(() => {
    order.push('second');
  });
  import.meta.hot.accept(() => {
    order.push('third');
    show('self-multi', order.join(', '));
  });
}
