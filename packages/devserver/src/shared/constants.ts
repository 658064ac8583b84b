/** Fixed URLs and names shared by the server and the browser runtime. */
export const CLIENT_PATH = '/@devserver/client.js';
export const GRAPH_PATH = '/@devserver/graph';
export const MODULES_PATH = '/@devserver/modules';
export const DEPS_PREFIX = '/@deps/';
export const FS_PREFIX = '/@fs/';
export const HMR_PATH = '/@devserver/ws';
export const HMR_SUBPROTOCOL = 'devserver-hmr';
export const OPEN_IN_EDITOR_PATH = '/@devserver/open-in-editor';
/** Largest websocket message a client may send; custom events are small. */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
/** POST a stack trace, get it back mapped to original files (same-origin only). */
export const STACK_PATH = '/@devserver/stack';
