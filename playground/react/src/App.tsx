// Exports only a component: a Fast Refresh boundary.
import { Badge } from './Badge';
import { Counter } from './Counter';
import { Greeting } from './Greeting';
import { ThemeLabel } from './ThemeLabel';
import { ThemeProvider } from './ThemeProvider';
import { Title } from './Title';

export function App() {
  return (
    <ThemeProvider>
      <Title />
      <Counter />
      <Badge active />
      <Greeting />
      <ThemeLabel />
    </ThemeProvider>
  );
}
