// A plugin that talks to the page over the HMR channel: every `my:ping` a tab sends is
// answered, to that tab only, with `my:pong` (see src/events/ping.ts). Editing this file
// restarts the server in place; open tabs reload once.
import { defineConfig, type Plugin } from 'devserver';

function pingPong(): Plugin {
  return {
    name: 'playground-ping-pong',
    configureServer(server) {
      server.hot.on('my:ping', (data, client) => {
        const n = typeof data === 'object' && data !== null && 'n' in data ? Number(data.n) : 0;
        client.send('my:pong', { n, from: 'devserver.config.ts' });
      });
    },
  };
}

export default defineConfig({
  plugins: [pingPong()],
});
