import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LAYER_RULES } from './layer-rules';

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
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specifiers.map((match) => match[1] ?? match[2] ?? match[3] ?? '').filter((specifier) => !specifier.startsWith('.'));
}

function violations(project: Project): string[] {
  return project.tags.flatMap((tag) => {
    const rule = LAYER_RULES[tag];
    if (!rule) return [];
    return sourceFiles(join(project.dir, 'src')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => {
          const allowed = !rule.allowed || rule.allowed.some((prefix) => specifier === prefix || specifier.startsWith(`${prefix}/`));
          const banned = rule.banned?.some((prefix) => specifier === prefix || specifier.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) ?? false;
          return !allowed || banned;
        })
        .map((specifier) => `${relative(root, file)} (${tag}) imports ${specifier}`),
    );
  });
}

describe('the layering of the libraries', () => {
  const all = projects();

  it('given the libs, then every project carries a layer tag', () => {
    expect(all.filter((project) => !project.tags.some((tag) => tag.startsWith('layer:'))).map((p) => p.name)).toEqual([]);
  });

  it('given domain projects, then they import only the kernel, the contracts and zod', () => {
    const domain = all.filter((project) => project.tags.includes('layer:domain'));
    expect(domain.map((p) => p.name)).toEqual(expect.arrayContaining(['inventory-domain', 'ordering-domain', 'cart-domain']));
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

  it('given a domain file importing NestJS, then the rule reports it (the check can fail)', () => {
    const rule = LAYER_RULES['layer:domain'];
    const specifier = '@nestjs/common';
    expect(rule?.allowed?.some((prefix) => specifier === prefix || specifier.startsWith(`${prefix}/`))).toBe(false);
  });
});
