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

export const LAYER_RULES: Record<string, LayerRule> = {
  'layer:domain': { allowed: ['@stockade/kernel', '@stockade/contracts', 'zod', 'node:crypto'] },
  'layer:application': {
    banned: [...FRAMEWORK_AND_DRIVER_PACKAGES, '@stockade/api', '@stockade/runtime', '@stockade/nest-bus', '@stockade/event-store/sqlite', '@stockade/messaging/sqlite', APPS],
  },
  'layer:infrastructure': { banned: ['@nestjs/', '@stockade/api', '@stockade/runtime', '@stockade/nest-bus', APPS] },
  'layer:shell': { banned: [APPS] },
};
