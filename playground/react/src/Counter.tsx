// A component with state; the e2e tests edit its JSX and its hooks.
import { useState } from 'react';
import { accent } from './theme';

export function Counter() {
  const [count, setCount] = useState(0);
  return (
    <div className="counter">
      <button id="counter-button" onClick={() => setCount((c) => c + 1)}>
        increment
      </button>
      <span id="counter-value" style={{ color: accent }}>
        Count: {count}
      </span>
    </div>
  );
}
