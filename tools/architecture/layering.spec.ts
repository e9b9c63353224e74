import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { APPS_DIRECTORY, LAYER_HEIGHT, LAYER_RULES } from './layer-rules';

const root = join(__dirname, '..', '..');

interface Project {
  readonly name: string;
  readonly dir: string;
  readonly tags: readonly string[];
}

function projects(dir = join(root, 'libs')): Project[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (!statSync(full).isDirectory()) return [];
    try {
      const project = JSON.parse(readFileSync(join(full, 'project.json'), 'utf8')) as { name: string; tags?: string[] };
      return [{ name: project.name, dir: full, tags: project.tags ?? [] }];
    } catch {
      return projects(full);
    }
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.spec.ts') && !full.includes('/testing/') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ];
  return specifiers
    .map((match) => match[1] ?? match[2] ?? match[3] ?? '')
    .filter((specifier) => !specifier.startsWith('.'));
}

/** Every specifier a file names, relative ones included. */
function allImportsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ];
  return specifiers.map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

function everyTypeScriptFile(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'node_modules' ? [] : everyTypeScriptFile(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** The project each @stockade alias (tsconfig.base.json paths) points into. */
function projectOfAlias(all: readonly Project[]): Map<string, Project> {
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const byAlias = new Map<string, Project>();
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    const file = join(root, target ?? '');
    const owner = all
      .filter((project) => file.startsWith(project.dir + sep))
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    if (owner) byAlias.set(alias, owner);
  }
  return byAlias;
}

/** The projects a project's own code (not its tests) imports, by alias. */
function dependenciesOf(project: Project, byAlias: ReadonlyMap<string, Project>): Project[] {
  const names = new Set(
    sourceFiles(join(project.dir, 'src'))
      .flatMap(importsOf)
      .flatMap((specifier) => {
        const target = byAlias.get(specifier);
        return target && target.name !== project.name ? [target.name] : [];
      }),
  );
  return [...byAlias.values()].filter(
    (target, index, all) => names.has(target.name) && all.findIndex((other) => other.name === target.name) === index,
  );
}

function layerOf(project: Project): string {
  return project.tags.find((tag) => LAYER_HEIGHT[tag] !== undefined) ?? 'no layer';
}

function heightOf(project: Project): number {
  return LAYER_HEIGHT[layerOf(project)] ?? -1;
}

function cycles(all: readonly Project[], byAlias: ReadonlyMap<string, Project>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (project: Project, path: string[]): void => {
    if (state.get(project.name) === 'done') return;
    if (state.get(project.name) === 'visiting') {
      found.push([...path.slice(path.indexOf(project.name)), project.name].join(' -> '));
      return;
    }
    state.set(project.name, 'visiting');
    for (const next of dependenciesOf(project, byAlias)) visit(next, [...path, project.name]);
    state.set(project.name, 'done');
  };
  for (const project of all) visit(project, []);
  return found;
}

function violations(project: Project): string[] {
  return project.tags.flatMap((tag) => {
    const rule = LAYER_RULES[tag];
    if (!rule) return [];
    return sourceFiles(join(project.dir, 'src')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => {
          const allowed =
            !rule.allowed || rule.allowed.some((prefix) => specifier === prefix || specifier.startsWith(`${prefix}/`));
          const banned =
            rule.banned?.some(
              (prefix) => specifier === prefix || specifier.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
            ) ?? false;
          return !allowed || banned;
        })
        .map((specifier) => `${relative(root, file)} (${tag}) imports ${specifier}`),
    );
  });
}

describe('the layering of the libraries', () => {
  const all = projects();

  it('given the libs, then every project carries a layer tag', () => {
    expect(all.filter((project) => !project.tags.some((tag) => tag.startsWith('layer:'))).map((p) => p.name)).toEqual(
      [],
    );
  });

  it('given domain projects, then they import only the kernel, the contracts and zod', () => {
    const domain = all.filter((project) => project.tags.includes('layer:domain'));
    expect(domain.map((p) => p.name)).toEqual(
      expect.arrayContaining(['inventory-domain', 'ordering-domain', 'cart-domain']),
    );
    expect(domain.flatMap(violations)).toEqual([]);
  });

  it('given application projects, then they use ports only: no framework, driver or adapter imports', () => {
    const application = all.filter((project) => project.tags.includes('layer:application'));
    expect(application.length).toBeGreaterThanOrEqual(3);
    expect(application.flatMap(violations)).toEqual([]);
  });

  it('given infrastructure adapters, then they know no NestJS: the Nest transport lives in libs/nest-bus, over the port', () => {
    const infrastructure = all.filter((project) => project.tags.includes('layer:infrastructure'));
    expect(infrastructure.map((p) => p.name)).toEqual(expect.arrayContaining(['messaging', 'event-store']));
    expect(infrastructure.flatMap(violations)).toEqual([]);
  });

  it('given shell libraries, then none imports an app: apps compose libraries, never the reverse', () => {
    const shell = all.filter((project) => project.tags.includes('layer:shell'));
    expect(shell.map((p) => p.name)).toEqual(expect.arrayContaining(['api', 'runtime', 'nest-bus']));
    expect(shell.flatMap(violations)).toEqual([]);
  });

  it('given every library, then it imports only libraries of its own layer or a lower one', () => {
    const byAlias = projectOfAlias(all);
    expect(all.filter((project) => heightOf(project) < 0).map((p) => p.name)).toEqual([]);
    const upward = all.flatMap((project) =>
      dependenciesOf(project, byAlias)
        .filter((target) => heightOf(target) > heightOf(project))
        .map((target) => `${project.name} (${layerOf(project)}) imports ${target.name} (${layerOf(target)})`),
    );
    expect(upward).toEqual([]);
  });

  it('given the libraries, then their imports form no cycle', () => {
    expect(cycles(all, projectOfAlias(all))).toEqual([]);
  });

  it("given a context's Nest library, then it imports no other context's Nest library (it goes through a port)", () => {
    const byAlias = projectOfAlias(all);
    const scopeOf = (project: Project) => project.tags.find((tag) => tag.startsWith('scope:'));
    const nest = all.filter((project) => project.tags.includes('layer:nest'));
    expect(nest.map((p) => p.name)).toEqual(expect.arrayContaining(['inventory-nest', 'ordering-nest', 'cart-nest']));
    const crossing = nest.flatMap((project) =>
      dependenciesOf(project, byAlias)
        .filter((target) => target.tags.includes('layer:nest') && scopeOf(target) !== scopeOf(project))
        .map((target) => `${project.name} imports ${target.name}`),
    );
    expect(crossing).toEqual([]);
  });

  it('given every file outside apps/, tests included, then none imports from an app: apps hold a main.ts, not a library', () => {
    const appsDir = join(root, APPS_DIRECTORY);
    const files = [...everyTypeScriptFile(join(root, 'libs')), ...everyTypeScriptFile(join(root, 'tools'))];
    const intoApps = files.flatMap((file) =>
      allImportsOf(file)
        .filter(
          (specifier) =>
            specifier.startsWith('@stockade/apps/') ||
            (specifier.startsWith('.') && resolve(dirname(file), specifier).startsWith(appsDir + sep)),
        )
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    expect(intoApps).toEqual([]);
  });

  it("given the apps, then each one's src holds its main.ts only", () => {
    const appsDir = join(root, APPS_DIRECTORY);
    const extra = readdirSync(appsDir).flatMap((app) =>
      everyTypeScriptFile(join(appsDir, app, 'src')).filter(
        (file) => !file.endsWith(`${sep}main.ts`) && !file.endsWith(`${sep}main.spec.ts`),
      ),
    );
    expect(extra.map((file) => relative(root, file))).toEqual([]);
  });

  it('given a domain file importing NestJS, then the rule reports it (the check can fail)', () => {
    const rule = LAYER_RULES['layer:domain'];
    const specifier = '@nestjs/common';
    expect(rule?.allowed?.some((prefix) => specifier === prefix || specifier.startsWith(`${prefix}/`))).toBe(false);
  });
});
