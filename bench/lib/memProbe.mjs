// Preloaded into each server process (`node --expose-gc --import memProbe.mjs <cli>`), so the
// bench can ask for "memory after GC" without an inspector: on SIGUSR2 the process runs a
// full GC twice and prints one marker line with process.memoryUsage() to stderr. It adds no
// work until signalled. (SIGUSR2 would otherwise terminate Node, so the handler is needed.)
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  process.stderr.write(`__BENCH_MEM__ ${JSON.stringify(process.memoryUsage())}\n`);
});
