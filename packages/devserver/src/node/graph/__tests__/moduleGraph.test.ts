import { describe, expect, it } from 'vitest';
import { ModuleGraph } from '../moduleGraph.js';

describe('ModuleGraph', () => {
  it('keeps reverse edges even when the importer is known before the imported module', () => {
    const graph = new ModuleGraph();
    const main = graph.ensure('/src/main.ts', '/r/src/main.ts', 'js');
    graph.setImports(main, ['/src/a.ts'], []);
    const a = graph.ensure('/src/a.ts', '/r/src/a.ts', 'js');
    expect([...a.importers]).toEqual(['/src/main.ts']);
    expect(graph.importerChain('/src/a.ts')).toEqual(['/src/a.ts', '/src/main.ts']);
  });

  it('updates reverse edges when imports change and when a module is removed', () => {
    const graph = new ModuleGraph();
    const main = graph.ensure('/m.ts', '/r/m.ts', 'js');
    const a = graph.ensure('/a.ts', '/r/a.ts', 'js');
    const b = graph.ensure('/b.ts', '/r/b.ts', 'js');
    graph.setImports(main, ['/a.ts'], ['/b.ts']);
    expect(a.importers.has('/m.ts') && b.importers.has('/m.ts')).toBe(true);
    graph.setImports(main, ['/b.ts'], []);
    expect(a.importers.size).toBe(0);
    expect([...b.importers]).toEqual(['/m.ts']);
    graph.remove('/m.ts');
    expect(b.importers.size).toBe(0);
    expect(graph.get('/m.ts')).toBeUndefined();
  });

  it('finds modules by their file and by files they watch', () => {
    const graph = new ModuleGraph();
    const css = graph.ensure('/s.css', '/r/s.css', 'css');
    const raw = graph.ensure('/s.css?raw', '/r/s.css', 'js');
    graph.setWatchFiles(css, ['/r/base.css']);
    expect(graph.modulesOfFile('/r/s.css')).toEqual([css, raw]);
    expect(graph.modulesOfFile('/r/base.css')).toEqual([css]);
    graph.setWatchFiles(css, []);
    expect(graph.modulesOfFile('/r/base.css')).toEqual([]);
  });

  it('stops the importer chain at a cycle', () => {
    const graph = new ModuleGraph();
    const a = graph.ensure('/a.ts', null, 'js');
    const b = graph.ensure('/b.ts', null, 'js');
    graph.setImports(a, ['/b.ts'], []);
    graph.setImports(b, ['/a.ts'], []);
    expect(graph.importerChain('/a.ts')).toEqual(['/a.ts', '/b.ts']);
  });
});
