// Reads from theme.ts, a plain module: editing it updates this component and Counter.
import { accent, title } from './theme';

export function Title() {
  return (
    <h1 id="title" style={{ borderBottom: `2px solid ${accent}` }}>
      {title}
    </h1>
  );
}
