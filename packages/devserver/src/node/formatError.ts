/** The terminal's one-screen rendering of an error (the overlay renders the same payload). */
import pc from 'picocolors';
import type { ErrorPayload } from '../shared/protocol.js';

export function formatErrorForTerminal(error: ErrorPayload): string {
  const lines = [pc.red(`error: ${error.plugin ? `[plugin ${error.plugin}] ` : ''}${error.message}`)];
  const where = error.file ?? error.id;
  if (where) lines.push(`  at ${where}${error.loc ? `:${error.loc.line}:${error.loc.column}` : ''}`);
  if (error.frame) lines.push(pc.dim(error.frame.split('\n').slice(0, 12).join('\n')));
  if (error.importerChain && error.importerChain.length > 1) lines.push(`  imported by ${error.importerChain.slice(1).join(' <- ')}`);
  if (error.hint) lines.push(pc.cyan(`  hint: ${error.hint}`));
  return lines.join('\n');
}
