// Exports a component *and* a constant: edits of the constant cannot be Fast Refreshed,
// so the module invalidates and its importer (App) runs again (see docs/framework-integration.md).
import { useState } from 'react';

export const GREETING = 'Hello';

export function Greeting() {
  const [waves, setWaves] = useState(0);
  return (
    <p>
      <span id="greeting">{GREETING}, world</span>{' '}
      <button id="wave-button" onClick={() => setWaves((w) => w + 1)}>
        waves: {waves}
      </button>
    </p>
  );
}
