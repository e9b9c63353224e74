import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A doc comment documents the declaration right after it. Two in a row means the first one's
 * declaration moved away from it (or it was never there): editors and TypeDoc then show the second
 * alone, and a reader takes the first for the wrong thing. Six had drifted so (issue 21).
 */
const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `file:line` of each doc comment followed directly by another doc comment. */
export function strandedDocComments(file: string, text: string): string[] {
  return [...text.matchAll(/\/\*\*(?:(?!\*\/)[\s\S])*\*\/[ \t]*\n[ \t]*\/\*\*/g)].map(
    (match) => `${file}:${text.slice(0, match.index).split('\n').length}`,
  );
}

describe('doc comments', () => {
  it('given the sources, then no doc comment is followed by another: each sits on its declaration', () => {
    const files = ['apps', 'libs', 'tools'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(files.flatMap((file) => strandedDocComments(relative(ROOT, file), readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('given a doc comment stranded above another, then it is reported (the check can fail)', () => {
    const text = 'const a = 1;\n/** Was about `a`. */\n/** About b. */\nexport const b = 2;\n';
    expect(strandedDocComments('planted.ts', text)).toEqual(['planted.ts:2']);
  });

  it('given doc comments each on its own declaration, then nothing is reported', () => {
    const text = '/** About a. */\nexport const a = 1;\n\n/**\n * About b.\n */\nexport const b = 2;\n';
    expect(strandedDocComments('planted.ts', text)).toEqual([]);
  });
});
