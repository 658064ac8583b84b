// What the results were measured on: CPU, memory, OS, Node, Chromium, the two servers'
// versions and the devserver commit (read-only git queries), and the load average, since
// this 2-core machine is shared and its load moves every number.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
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

/** Versions of both servers, and the devserver commit (+ "with local changes" if dirty). */
export function describeVersions() {
  const commit = git(['rev-parse', '--short', 'HEAD']) || 'unknown commit';
  const dirty = git(['status', '--porcelain', '--', 'packages/devserver']) !== '';
  return {
    devserver: SERVERS.devserver.version(),
    vite: SERVERS.vite.version(),
    commit: `commit ${commit}${dirty ? ' with local changes' : ''}`,
  };
}
