/**
 * A small dotenv parser, written for `.env` files as people actually write them:
 * `KEY=value`, `export KEY=value`, spaces around `=`, `#` comments (whole line, or after an
 * unquoted value following whitespace), single quotes (literal), double quotes (escapes
 * `\n \r \t \" \\`, may span lines), backticks (literal, may span lines), CRLF endings, and
 * `${VAR}` / `${VAR:-default}` expansion in unquoted and double-quoted values.
 * Lines it cannot read are skipped, as dotenv does.
 */

const KEY = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/;

export interface ParsedEnvEntry {
  value: string;
  /** Whether `${VAR}` references in the value should be expanded. */
  expand: boolean;
}

/**
 * Parses the text of one `.env` file.
 *
 * @example
 * parseEnv('export A="x\\ny" # note\nB=\'$lit\'')
 * // Map { 'A' => { value: 'x\ny', expand: true }, 'B' => { value: '$lit', expand: false } }
 */
export function parseEnv(text: string): Map<string, ParsedEnvEntry> {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const out = new Map<string, ParsedEnvEntry>();
  let pos = 0;
  while (pos < src.length) {
    const lineEnd = indexOrEnd(src, '\n', pos);
    const line = src.slice(pos, lineEnd);
    const trimmed = line.trimStart();
    const indent = line.length - trimmed.length;
    const key = KEY.exec(trimmed);
    if (!key || trimmed.startsWith('#')) {
      pos = lineEnd + 1;
      continue;
    }
    const valueStart = pos + indent + key[0].length;
    const quote = src[valueStart];
    if (quote === '"' || quote === "'" || quote === '`') {
      const close = findClosingQuote(src, valueStart + 1, quote);
      if (close >= 0) {
        const raw = src.slice(valueStart + 1, close);
        const value = quote === '"' ? unescapeDouble(raw) : raw;
        out.set(key[1], { value, expand: quote === '"' });
        pos = indexOrEnd(src, '\n', close) + 1;
        continue;
      }
      // No closing quote: dotenv treats the rest of the line as an unquoted value.
    }
    const rest = src.slice(valueStart, lineEnd);
    const comment = rest.search(/(^|\s)#/);
    out.set(key[1], { value: (comment >= 0 ? rest.slice(0, comment) : rest).trim(), expand: true });
    pos = lineEnd + 1;
  }
  return out;
}

function indexOrEnd(src: string, needle: string, from: number): number {
  const i = src.indexOf(needle, from);
  return i < 0 ? src.length : i;
}

/** Index of the closing quote; for single quotes and backticks the value may not escape. */
function findClosingQuote(src: string, from: number, quote: string): number {
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (quote === "'" && c === '\n') return -1;
    if (c === '\\' && quote === '"') {
      i++;
      continue;
    }
    if (c === quote) return i;
  }
  return -1;
}

function unescapeDouble(raw: string): string {
  // `\$` is left for expandValue, which turns it into a literal `$`.
  return raw.replace(/\\([nrt"\\])/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c,
  );
}

/**
 * Expands `${VAR}` and `${VAR:-fallback}` with `lookup`; `\$` gives a literal `$`.
 * Unknown variables become the empty string (or the fallback).
 */
export function expandValue(value: string, lookup: (name: string) => string | undefined): string {
  const re = /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
  return value.replace(re, (match: string, name?: string, fallback?: string) => {
    if (name === undefined) return '$';
    const found = lookup(name);
    return found === undefined || found === '' ? (fallback ?? '') : found;
  });
}
