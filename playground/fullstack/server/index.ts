// A plain node:http API. It listens on process.env.PORT like any Node server; under
// devserver that port is held open by devserver, so restarts never refuse a connection.
import http from 'node:http';
import type { MessageResponse } from '../shared/api';
import { message } from './message';

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/api/message') {
    const body: MessageResponse = { message, pid: process.pid };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end(`no route for ${req.method} ${url.pathname}\n`);
});

server.listen(Number(process.env.PORT ?? 3001), () => {
  console.log(`api listening on http://127.0.0.1:${process.env.PORT ?? 3001}`);
});
