/**
 * The `devserver` command: parses flags with cac, starts the server through
 * `createServer()` (flags passed as `cliOverrides`, so they win over the config file),
 * prints the banner, and owns the process: SIGINT/SIGTERM close the server and exit 0 (a
 * second signal exits at once), and any failure during start prints `error: <message>`,
 * the hint and the code frame, then exits 1. Stacks appear only with `--debug`.
 */
import { spawn } from 'node:child_process';
import { cac } from 'cac';
import pc from 'picocolors';
import pkg from '../../package.json' with { type: 'json' };
import { closestMatch } from './config/didYouMean.js';
import type { ServerOptions, UserConfig } from './config/types.js';
import { DevServerError, isDevServerError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { createServer } from './server.js';

type DevServer = Awaited<ReturnType<typeof createServer>>;

interface CliFlags {
  port?: number | string;
  host?: string | number | boolean;
  strictPort?: boolean;
  open?: string | boolean;
  config?: string;
  force?: boolean;
  debug?: boolean;
  mode?: string;
  backend?: string;
}

const FLAGS = ['port', 'host', 'strictPort', 'open', 'config', 'force', 'debug', 'mode', 'backend', 'help', 'version'];
const logger: Logger = createLogger({ level: 'info' });
let debug = process.argv.includes('--debug');
let server: DevServer | undefined;

async function main(argv: string[]): Promise<void> {
  const cli = cac('devserver');
  cli
    .command('[root]', 'start the dev server for the app in [root] (default: the current folder)')
    .option('--port <port>', 'port to listen on (default: 5173, or the next free one)')
    .option('--host [host]', 'address to listen on; without a value, every network interface')
    .option('--strictPort', 'exit if the port is taken instead of trying the next one')
    .option('--open [path]', 'open the app in the browser')
    .option('-c, --config <file>', 'use this config file')
    .option('--force', 'rebuild the pre-bundled dependencies')
    .option('--debug', 'log what the server does, and print stack traces')
    .option('-m, --mode <mode>', 'mode, selects .env.[mode] files (default: development)')
    .option('--backend <entry>', 'also run this Node server (e.g. src/server.ts), restarted on change, proxied under /api')
    .action(start);
  cli.help();
  cli.version(pkg.version);
  try {
    cli.parse(argv, { run: false });
    await cli.runMatchedCommand();
  } catch (error) {
    await fail(error);
  }
}

async function start(root: string | undefined, flags: CliFlags): Promise<void> {
  debug = flags.debug === true;
  installSignalHandlers();
  const cliOverrides = toOverrides(root, flags);
  server = await createServer({ cliOverrides });
  await server.listen();
  printBanner(server);
  const open = server.config.server.open;
  const local = server.resolvedUrls?.local[0];
  if (open && local) openBrowser(typeof open === 'string' ? new URL(open, local).href : local, server.config.logger);
}

/** Flags -> a partial config holding only what was given (unset flags must not override). */
function toOverrides(root: string | undefined, flags: CliFlags): UserConfig {
  const server: ServerOptions = {};
  if (flags.port !== undefined) server.port = parsePort(flags.port);
  if (flags.host !== undefined) server.host = flags.host === true || flags.host === '' ? true : String(flags.host);
  if (flags.strictPort !== undefined) server.strictPort = flags.strictPort;
  if (flags.open !== undefined) server.open = typeof flags.open === 'boolean' ? flags.open : String(flags.open);
  const overrides: UserConfig = {};
  if (root !== undefined) overrides.root = String(root);
  if (Object.keys(server).length > 0) overrides.server = server;
  if (flags.config !== undefined) overrides.configFile = String(flags.config);
  if (flags.mode !== undefined) overrides.mode = String(flags.mode);
  if (flags.force) overrides.optimizeDeps = { force: true };
  if (flags.debug) overrides.debug = true;
  if (flags.backend !== undefined) overrides.backend = { entry: String(flags.backend) };
  return overrides;
}

function parsePort(value: number | string): number {
  const port = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || String(value).trim() === '') {
    throw new DevServerError('ERR_CONFIG', `--port expects a number from 0 to 65535, got "${String(value)}"`, {
      hint: 'for example: devserver --port 3000',
    });
  }
  return port;
}

function printBanner(s: DevServer): void {
  const out = s.config.logger;
  const ms = Math.round(performance.now());
  out.info('');
  out.info(`  ${pc.bold(pc.green(`devserver v${pkg.version}`))}  ${pc.dim(`ready in ${pc.reset(pc.bold(String(ms)))} ms`)}`);
  out.info('');
  const urls = s.resolvedUrls;
  if (!urls) return;
  for (const url of urls.local) out.info(`  ${pc.green('➜')} ${pc.bold('Local:')} ${pc.cyan(url)}`);
  for (const url of urls.network) out.info(`  ${pc.green('➜')} ${pc.bold('Network:')} ${pc.cyan(url)}`);
  if (isExposed(s.config.server.host)) {
    out.warn(`  ! the server is exposed beyond this machine: anyone who can reach it can read your source files`);
  } else if (urls.network.length === 0) {
    out.info(pc.dim(`  ➜ Network: use --host to expose`));
  }
  out.info('');
}

function isExposed(host: string): boolean {
  return !['localhost', '127.0.0.1', '::1', '[::1]'].includes(host) && !/^127\./.test(host) && !host.endsWith('.localhost');
}

/** Opens `url` with the OS opener; a missing opener is a warning, never a failure. */
function openBrowser(url: string, out: Logger): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: true });
    child.on('error', (error) => out.warn(`could not open the browser (${command}: ${error.message}); open ${url} yourself`));
    child.unref();
  } catch (error) {
    out.warn(`could not open the browser: ${error instanceof Error ? error.message : String(error)}; open ${url} yourself`);
  }
}

let signalled = false;

function installSignalHandlers(): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(signal === 'SIGINT' ? 130 : 143);
    signalled = true;
    if (!server) process.exit(0);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        printError(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** A failure while starting: print it, close what was opened, exit 1. */
async function fail(error: unknown): Promise<never> {
  printError(error);
  if (server) await server.close().catch(() => undefined);
  process.exit(1);
}

function printError(error: unknown): void {
  if (isDevServerError(error)) {
    logger.error(`error: ${error.message}`);
    if (error.details.hint) logger.warn(`hint: ${error.details.hint}`);
    if (error.details.frame) logger.error(pc.dim(error.details.frame));
  } else if (isCacError(error)) {
    // cac says "Unknown option `--prot`"; suggest the flag that was meant.
    const flag = /Unknown option `--([^`]+)`/.exec(error.message)?.[1];
    const close = flag ? closestMatch(flag, FLAGS) : undefined;
    const message = error.message.replace(/`/g, '');
    logger.error(`error: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
    logger.warn(close ? `hint: did you mean --${close}? (devserver --help lists the options)` : 'hint: run devserver --help to see the options');
    return;
  } else {
    logger.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    logger.warn('hint: this is a bug in devserver, rerun with --debug and report the output');
  }
  if (debug) printStack(error);
}

function printStack(error: unknown): void {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    logger.error(pc.dim(`${depth > 0 ? 'caused by: ' : ''}${current.stack ?? current.message}`));
    current = current.cause;
  }
}

function isCacError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'CACError';
}

void main(process.argv);
