// The context object lives in its own module, so editing the provider or a consumer
// keeps the same context (and the provider's state).
import { createContext } from 'react';

export interface ThemeValue {
  theme: 'light' | 'dark';
  toggle(): void;
}

export const ThemeContext = createContext<ThemeValue>({ theme: 'light', toggle() {} });
