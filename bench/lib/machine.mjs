// What the results were measured on: CPU, memory, OS, Node, Chromium, the two servers'
// versions and the devserver commit (read-only git queries), and the load average, since
// this 2-core machine is shared and its load moves every number.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, SERVERS } from './servers.mjs';

function git(args) {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** @example describeMachine('126.0.6478.126') // -> { cpu, cores, memGiB, os, node, chromium } */
export function describeMachine(chromiumVersion) {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    chromium: chromiumVersion,
  };
}

/**
 * Versions of both servers and what devserver build ran: the commit (+ "with local changes"
 * if its sources differ) and when dist/ was built, flagged when the build is older than the
 * commit (the bench runs dist/, so it would not have the commit's changes).
 */
export function describeVersions() {
  const commit = git(['rev-parse', '--short', 'HEAD']) || 'unknown commit';
  const dirty = git(['status', '--porcelain', '--', 'packages/devserver/src']) !== '';
  const committedAt = Number(git(['log', '-1', '--format=%ct'])) * 1000;
  let builtAt = 0;
  try {
    builtAt = statSync(path.join(REPO, 'packages/devserver/dist/node/index.js')).mtimeMs;
  } catch {
    // Not built: startServer says so.
  }
  const built = builtAt ? `, dist built ${new Date(builtAt).toISOString().slice(0, 16)}Z` : '';
  const stale = builtAt && committedAt && builtAt < committedAt ? ' (older than the commit: rebuild)' : '';
  return {
    devserver: SERVERS.devserver.version(),
    vite: SERVERS.vite.version(),
    commit: `commit ${commit}${dirty ? ' with local changes' : ''}${built}${stale}`,
  };
}
