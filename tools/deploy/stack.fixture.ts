import { join } from 'node:path';
import type { ComposeFile, ComposeService } from './compose-file';

/** What docker-compose.yml is expected to contain; shared by the compose specs. */
export const REPOSITORY_ROOT = join(__dirname, '..', '..');
export const COMPOSE_PATH = join(REPOSITORY_ROOT, 'docker-compose.yml');

/** What a user exports before `docker compose up`; the file itself commits no secret. */
export const SAMPLE_ENV = { STOCKADE_OPERATOR_TOKEN: 'sample-operator-token-for-compose' };
/** Each way the file is meant to be started, as the environment `docker compose` would see. */
export const VARIANTS = {
  default: SAMPLE_ENV,
  'kurrent profile': { ...SAMPLE_ENV, STOCKADE_INVENTORY_EVENT_STORE: 'kurrentdb' },
} as const;

export const APP_OF_SERVICE = {
  'provision-topics': 'provision-topics',
  'inventory-service': 'inventory-service',
  'order-service': 'order-service',
  'cart-service': 'cart-service',
  gateway: 'gateway',
} as const;
export type AppService = keyof typeof APP_OF_SERVICE;
export const APP_SERVICES = Object.keys(APP_OF_SERVICE) as AppService[];
export const INFRA_SERVICES = ['kafka', 'postgres', 'redis', 'kurrentdb'] as const;
/** Services that run to completion; others wait for them with service_completed_successfully. */
export const ONE_SHOT_SERVICES: readonly string[] = ['provision-topics'];
export const LONG_RUNNING_SERVICES = [...INFRA_SERVICES, ...APP_SERVICES.filter((name) => !ONE_SHOT_SERVICES.includes(name))];

export function serviceIn(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}
