// Consumes the theme context.
import { useContext } from 'react';
import { ThemeContext } from './ThemeContext';

export function ThemeLabel() {
  const { theme, toggle } = useContext(ThemeContext);
  return (
    <button id="theme-button" onClick={toggle}>
      Theme: {theme}
    </button>
  );
}
