/**
 * Finds the default allowed root of the file gate: the workspace that holds the project,
 * so pnpm's symlinked `node_modules` (which point into `<workspace>/node_modules/.pnpm`)
 * and linked workspace packages can be served. A workspace is the nearest ancestor with
 * `pnpm-workspace.yaml` or a `package.json` that has `workspaces` (npm, yarn, bun);
 * without one, the project root itself. Runs once at startup, so it is synchronous.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function hasWorkspacesField(packageJsonPath: string): boolean {
  let text: string;
  try {
    text = readFileSync(packageJsonPath, 'utf8');
  } catch {
    return false;
  }
  try {
    const pkg: unknown = JSON.parse(text);
    return typeof pkg === 'object' && pkg !== null && 'workspaces' in pkg && pkg.workspaces != null;
  } catch {
    return false; // a broken package.json above the project is not a workspace marker
  }
}

/**
 * The nearest ancestor of `root` (itself included) that is a workspace root, else `root`.
 *
 * @example
 * findDefaultAllowRoot('/repo/apps/web'); // '/repo' when /repo/pnpm-workspace.yaml exists
 */
export function findDefaultAllowRoot(root: string): string {
  const start = resolve(root);
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (hasWorkspacesField(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}
