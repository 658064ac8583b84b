/**
 * The one place node code writes to the terminal. Injected everywhere (no `console` in
 * node code) so tests can capture output and embedders can silence or redirect it.
 */
import pc from 'picocolors';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Printed only with `--debug` / `DEBUG=devserver:*`. */
  debug(message: string): void;
}

const ORDER: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3 };

export interface LoggerOptions {
  level?: LogLevel;
  debug?: boolean;
  /** Where lines go; defaults to the process streams. */
  write?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** Creates a logger. `createLogger({ level: 'silent' })` for tests that want no output. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = ORDER[options.level ?? 'info'];
  const debug = options.debug ?? /(^|,)devserver(:\*|\b)/.test(process.env.DEBUG ?? '');
  const write =
    options.write ??
    ((line: string, stream: 'stdout' | 'stderr') => {
      (stream === 'stdout' ? process.stdout : process.stderr).write(line + '\n');
    });
  return {
    info: (m) => level >= 3 && write(m, 'stdout'),
    warn: (m) => level >= 2 && write(pc.yellow(m), 'stderr'),
    error: (m) => level >= 1 && write(pc.red(m), 'stderr'),
    debug: (m) => debug && write(pc.dim(`[devserver:debug] ${m}`), 'stderr'),
  };
}
