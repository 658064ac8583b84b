// Custom events both ways. At load this module sends `my:ping` (usually before the
// websocket is open: the runtime buffers it); the plugin in devserver.config.ts answers
// each ping with `my:pong`. "off" removes the first pong listener; the counter keeps going.
import { show } from '../show.ts';

let sent = 0;
let received = 0;

const onPong = (data: { n: number; from: string }) => show('events-pong', `pong #${data.n} from ${data.from}`);
const countPong = () => show('events-pong-count', `(${++received} received)`);

if (import.meta.hot) {
  const hot = import.meta.hot;
  hot.on('my:pong', onPong);
  hot.on('my:pong', countPong);
  const ping = () => {
    hot.send('my:ping', { n: ++sent });
    show('events-ping', `sent my:ping #${sent}`);
  };
  ping();
  document.getElementById('events-send')!.addEventListener('click', ping);
  document.getElementById('events-off')!.addEventListener('click', () => {
    hot.off('my:pong', onPong);
    show('events-pong', 'pong listener removed');
  });
}
