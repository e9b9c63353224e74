import { join } from 'node:path';
import { importCycles, importGraph } from './import-graph';

const root = join(__dirname, '..', '..');

describe('the import graph of the source tree', () => {
  it('given the source tree, then no import cycle between modules', () => {
    const graph = importGraph(root);
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph)).toEqual([]);
  });

  it('given two files importing each other, then the check reports them (the check can fail)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('given a file importing itself, then the check reports it', () => {
    expect(importCycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
  });
});
