import { builtinModules } from 'node:module';
import { preProcessFile } from 'typescript';

const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** The package a bare specifier names (`@scope/name/deep` → `@scope/name`), or undefined for a relative path, a built-in or a workspace alias. */
export function packageOf(specifier: string, workspaceAliases: readonly string[]): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  if (workspaceAliases.some((alias) => specifier === alias || specifier.startsWith(`${alias}/`))) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  // Not a package name npm allows (config.ts has a require(variable, why) of its own).
  if (!NPM_NAME.test(name)) return undefined;
  return builtinModules.includes(name) ? undefined : name;
}

/** The packages a source text imports. */
export function importedPackages(source: string, workspaceAliases: readonly string[]): Set<string> {
  const found = new Set<string>();
  // TypeScript's own scanner: imports, exports from, import() and require() calls, not look-alikes in strings.
  for (const { fileName } of preProcessFile(source, true, true).importedFiles) {
    const name = packageOf(fileName, workspaceAliases);
    if (name) found.add(name);
  }
  return found;
}

/** Each file's imports that package.json does not declare (a package that resolves only because something else brought it). */
export function undeclaredImports(
  files: ReadonlyMap<string, string>,
  declared: ReadonlySet<string>,
  workspaceAliases: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const [file, source] of files) {
    for (const name of importedPackages(source, workspaceAliases))
      if (!declared.has(name)) problems.push(`${file} imports ${name}`);
  }
  return problems.sort();
}
