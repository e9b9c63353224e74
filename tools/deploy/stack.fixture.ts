import { join } from 'node:path';
import type { ComposeFile, ComposeService } from './compose-file';

/** What docker-compose.yml is expected to contain; shared by the compose specs. */
export const REPOSITORY_ROOT = join(__dirname, '..', '..');
export const COMPOSE_PATH = join(REPOSITORY_ROOT, 'docker-compose.yml');

/** What a user exports before `docker compose up` (each from `openssl rand -base64 24`); the file itself commits no secret. */
export const SAMPLE_ENV = {
  STOCKADE_OPERATOR_TOKEN: 'q3Vd9xK2mLw7RtZ0pB5nYc1HfJ8sUe4G',
  STOCKADE_API_TOKEN: 'Zt6Pq1Lm9Xw3Rk7Vb2Nc5Hy8Jd0Fs4Ga',
};
/** The services that listen on HTTP (all but the one-shot topic provisioning). */
export const LISTENING_SERVICES = ['inventory-service', 'order-service', 'cart-service', 'gateway'] as const;
/** Each way the file is meant to be started, as the environment `docker compose` would see. */
export const VARIANTS = {
  default: SAMPLE_ENV,
  'kurrent profile': { ...SAMPLE_ENV, STOCKADE_INVENTORY_EVENT_STORE: 'kurrentdb' },
  'channels, a metrics token and a proxy': {
    ...SAMPLE_ENV,
    STOCKADE_UPSTREAM_TOKENS: 'web=Wb7Kx3Qm9Ts1Lp5Zr2Vn8Cy4Hd0Jf6Ga',
    STOCKADE_METRICS_TOKEN: 'Mk4Ty8Wq2Pz6Lc0Vn3Rb7Xj1Hd5Gs9Fa',
    STOCKADE_TRUSTED_PROXIES: '10.0.0.0/8',
  },
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
export const LONG_RUNNING_SERVICES = [
  ...INFRA_SERVICES,
  ...APP_SERVICES.filter((name) => !ONE_SHOT_SERVICES.includes(name)),
];

export function serviceIn(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}
