import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Reads docker-compose.yml the way `docker compose` would, far enough to check it without a
 * Docker engine: YAML merge keys (`<<:`) resolved, then `${VAR}` interpolation of every string
 * value against a given environment, with Compose's rules for defaults and required variables.
 */

export type ComposeBuild =
  | string
  | { readonly context?: string; readonly dockerfile?: string; readonly args?: Readonly<Record<string, string>> };
export type ComposeDependsOn =
  readonly string[] | Readonly<Record<string, { readonly condition?: string; readonly required?: boolean }>>;
export type ComposePort = string | number | { readonly target: number; readonly published?: string | number };

export interface ComposeHealthcheck {
  readonly test?: string | readonly string[];
  readonly disable?: boolean;
}

export interface ComposeService {
  readonly image?: string;
  readonly build?: ComposeBuild;
  readonly environment?: Readonly<Record<string, string | number | boolean | null>> | readonly string[];
  readonly depends_on?: ComposeDependsOn;
  readonly healthcheck?: ComposeHealthcheck;
  readonly ports?: readonly ComposePort[];
  readonly profiles?: readonly string[];
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
}

/** What Compose says when a `${VAR:?message}` variable is missing: it refuses to start. */
export class MissingComposeVariable extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`required variable ${variable} is missing a value: ${detail}`);
  }
}

// ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, $NAME, and $$ (a literal $).
const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function interpolate(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(VARIABLE, (match, braced?: string, operator?: string, argument?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const current = env[name];
    const missing = operator?.startsWith(':') ? current === undefined || current === '' : current === undefined;
    if (operator?.endsWith('?') && missing) throw new MissingComposeVariable(name, argument ?? '');
    if (operator?.endsWith('-') && missing) return argument ?? '';
    return current ?? '';
  });
}

function interpolateTree(node: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateTree(value, env)]));
  }
  return node;
}

/** The file as written: merge keys resolved, `${…}` left as is (to check what is committed). */
export function readRawComposeFile(path: string): ComposeFile {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

/** The file as `docker compose` would run it with this environment. */
export function readComposeFile(path: string, env: Readonly<Record<string, string | undefined>>): ComposeFile {
  return interpolateTree(readRawComposeFile(path), env) as ComposeFile;
}

/** A service's environment as strings, whichever of Compose's two forms (map or KEY=value list) it uses. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      (environment as readonly string[]).map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}

/** A service's dependencies with their conditions (the short list form means `service_started`). */
export function dependenciesOf(service: ComposeService): Record<string, { condition: string; required: boolean }> {
  const dependsOn = service.depends_on ?? [];
  if (Array.isArray(dependsOn))
    return Object.fromEntries(
      (dependsOn as readonly string[]).map((name) => [name, { condition: 'service_started', required: true }]),
    );
  return Object.fromEntries(
    Object.entries(dependsOn as Readonly<Record<string, { condition?: string; required?: boolean }>>).map(
      ([name, dependency]) => [
        name,
        { condition: dependency.condition ?? 'service_started', required: dependency.required ?? true },
      ],
    ),
  );
}
