import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '@stockade/runtime';

/** The README's configuration table is the operator's reference: it must name what the loader reads. */
function configurationTableVariables(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration\n')) ?? '';
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1] as string);
}

describe('README configuration table', () => {
  const listed = configurationTableVariables(readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8'));

  it('given the configuration loader, then every variable it reads has a row in the README table', () => {
    expect(CONFIG_VARIABLES.filter((variable) => !listed.includes(variable))).toEqual([]);
  });

  it('given the README table, then it lists no variable the loader does not read, and none twice', () => {
    expect(listed.filter((variable) => !(CONFIG_VARIABLES as readonly string[]).includes(variable))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });
});
