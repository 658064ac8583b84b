import { describe, expect, it } from 'vitest';
import { createWatchErrorReporter, describeWatchError } from '../fileWatcher.js';

const errno = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('describeWatchError', () => {
  it('says how to raise the inotify limit on ENOSPC', () => {
    expect(describeWatchError(errno('ENOSPC'))).toBe(
      'error: the file watcher hit the system limit of inotify watches, so some changes are not seen\n' +
        '  hint: raise it with `sudo sysctl fs.inotify.max_user_watches=524288` (add it to /etc/sysctl.conf to keep it), or set server.watch.usePolling',
    );
  });

  it('names the folder it could not read on EACCES', () => {
    expect(describeWatchError(errno('EACCES', "EACCES: permission denied, scandir '/p/secret'"))).toContain(
      "denied access to a folder (EACCES: permission denied, scandir '/p/secret')",
    );
  });

  it('never gives a bare stack', () => {
    const text = describeWatchError(new Error('boom'));
    expect(text).toMatch(/^error: the file watcher failed: boom\n  hint: /);
    expect(text).not.toContain('    at ');
  });
});

describe('createWatchErrorReporter', () => {
  it('logs each kind of error once, however often the watcher repeats it', () => {
    const lines: string[] = [];
    const report = createWatchErrorReporter({ info: () => {}, warn: () => {}, debug: () => {}, error: (m) => void lines.push(m) });
    for (let i = 0; i < 50; i++) report(errno('ENOSPC'));
    report(errno('EACCES'));
    report(errno('EACCES'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('inotify');
    expect(lines[1]).toContain('denied access');
  });
});
