/**
 * Which imports each layer (an Nx tag on the project) may use. The domain stays plain
 * TypeScript; application services see ports, never a driver or a framework; only shell
 * and infrastructure projects touch NestJS, databases and brokers.
 */
export const FRAMEWORK_AND_DRIVER_PACKAGES = [
  '@nestjs/',
  'fastify',
  'kafkajs',
  'ioredis',
  'pg',
  'better-sqlite3',
  '@kurrent/',
  '@eventstore/',
  'pino',
] as const;

export interface LayerRule {
  /** Bare package or alias prefixes this layer may import (relative imports are always fine). */
  readonly allowed?: readonly string[];
  /** Prefixes this layer must never import. */
  readonly banned?: readonly string[];
}

/** Apps compose libraries; a library importing an app would tie a shared part to one deployment. */
const APPS = '@stockade/apps/';

/**
 * Each layer's height. A project imports its own height or lower, never higher: a context's Nest
 * library (layer:nest) sits on the shared shell (api, runtime, nest-bus); the compositions
 * (embedded, gateway) put the contexts together; apps hold a main.ts each. Application services
 * and adapters share a height: services use the store and bus ports of event-store and messaging,
 * and an adapter (redis) implements a service's port; the cycle check keeps the two apart.
 */
export const LAYER_HEIGHT: Readonly<Record<string, number>> = {
  'layer:domain': 0,
  'layer:application': 1,
  'layer:infrastructure': 1,
  'layer:shell': 2,
  'layer:nest': 3,
  'layer:client': 3,
  'layer:composition': 4,
  'layer:app': 5,
  'layer:tooling': 6,
};

/** Where the apps live: nothing outside them imports a file there (an app is a main.ts, not a library). */
export const APPS_DIRECTORY = 'apps';

export const LAYER_RULES: Record<string, LayerRule> = {
  'layer:domain': { allowed: ['@stockade/kernel', '@stockade/contracts', 'zod', 'node:crypto'] },
  'layer:application': {
    banned: [
      ...FRAMEWORK_AND_DRIVER_PACKAGES,
      '@stockade/api',
      '@stockade/runtime',
      '@stockade/nest-bus',
      '@stockade/event-store/sqlite',
      '@stockade/messaging/sqlite',
      APPS,
    ],
  },
  'layer:infrastructure': { banned: ['@nestjs/', '@stockade/api', '@stockade/runtime', '@stockade/nest-bus', APPS] },
  'layer:shell': { banned: [APPS] },
  'layer:nest': { banned: [APPS] },
  /** The operator's CLI talks HTTP to a running Stockade: no Nest, no store, no bus. */
  'layer:client': {
    banned: [...FRAMEWORK_AND_DRIVER_PACKAGES, '@stockade/api', '@stockade/runtime', '@stockade/nest-bus', APPS],
  },
  'layer:composition': { banned: [APPS] },
};
