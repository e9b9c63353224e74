import { dependenciesOf, environmentOf, readComposeFile } from './compose-file';
import {
  APP_SERVICES,
  COMPOSE_PATH,
  LISTENING_SERVICES,
  LONG_RUNNING_SERVICES,
  ONE_SHOT_SERVICES,
  SAMPLE_ENV,
  serviceIn,
  VARIANTS,
} from './stack.fixture';

/**
 * How docker-compose.yml wires the containers together, checked without a Docker engine: every
 * long-running container reports health, every start waits for what it needs, every address
 * points at a service of the same file, and only the gateway is reachable from outside.
 */
const compose = readComposeFile(COMPOSE_PATH, SAMPLE_ENV);
const service = (name: string) => serviceIn(compose, name);

/** Host names a service's configuration points at: brokers, databases, Redis, upstream services. */
function referencedHosts(env: Record<string, string>): { variable: string; host: string; port: string }[] {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .filter(Boolean)
    .map((address) => {
      const [host = '', port = ''] = address.split(':');
      return { variable: 'KAFKA_BROKERS', host, port };
    });
  const urls = Object.entries(env)
    .filter(
      ([variable]) =>
        ['STOCKADE_POSTGRES_URL', 'KURRENTDB_URL', 'REDIS_URL'].includes(variable) || variable.endsWith('_SERVICE_URL'),
    )
    .map(([variable, value]) => {
      const url = new URL(value);
      return { variable, host: url.hostname, port: url.port };
    });
  return [...brokers, ...urls];
}

describe('docker-compose.yml: how the containers are wired', () => {
  it.each(LONG_RUNNING_SERVICES)('given %s, then it has a health check', (name) => {
    const healthcheck = service(name).healthcheck;
    expect(healthcheck?.disable).not.toBe(true);
    expect(healthcheck?.test?.length).toBeGreaterThan(0);
  });

  it.each(LISTENING_SERVICES)(
    "given %s, then its health check asks readiness with the container's metrics token, or its operator token (readiness is closed in a container)",
    (name) => {
      const test = service(name).healthcheck?.test ?? [];
      const probe = typeof test === 'string' ? test : test.join(' ');
      expect(probe).toContain("'/health/ready'");
      expect(probe).toContain(
        "authorization: 'Bearer ' + (process.env.STOCKADE_METRICS_TOKEN || process.env.STOCKADE_OPERATOR_TOKEN)",
      );
      expect(environmentOf(service(name)).STOCKADE_OPERATOR_TOKEN).toBeTruthy();
    },
  );

  it.each(Object.keys(compose.services))(
    'given %s, then it waits only for healthy services or for one-shots that completed successfully',
    (name) => {
      for (const [dependency, { condition }] of Object.entries(dependenciesOf(service(name)))) {
        expect(Object.keys(compose.services)).toContain(dependency);
        expect(condition).toBe(
          ONE_SHOT_SERVICES.includes(dependency) ? 'service_completed_successfully' : 'service_healthy',
        );
      }
    },
  );

  it.each(APP_SERVICES.filter((name) => !ONE_SHOT_SERVICES.includes(name) && name !== 'gateway'))(
    'given %s, then it starts only after the topics were provisioned',
    (name) => {
      expect(dependenciesOf(service(name))['provision-topics']).toEqual({
        condition: 'service_completed_successfully',
        required: true,
      });
    },
  );

  it('given the whole stack, then only the gateway publishes a port, 3000', () => {
    const publishing = Object.entries(compose.services).filter(([, definition]) => (definition.ports ?? []).length > 0);
    expect(publishing.map(([name]) => name)).toEqual(['gateway']);
    expect(service('gateway').ports).toEqual(['3000:3000']);
  });

  it.each(
    Object.entries(VARIANTS).flatMap(([variant, env]) => APP_SERVICES.map((name) => [name, variant, env] as const)),
  )(
    "given %s (%s), then every host its configuration points at is a compose service it waits for, on that service's port",
    (name, _variant, env) => {
      const variant = readComposeFile(COMPOSE_PATH, env);
      const dependencies = dependenciesOf(serviceIn(variant, name));
      for (const { variable, host, port } of referencedHosts(environmentOf(serviceIn(variant, name)))) {
        expect({ variable, host, known: host in variant.services, awaited: host in dependencies }).toEqual({
          variable,
          host,
          known: true,
          awaited: true,
        });
        // An upstream app listens on the PORT its own environment sets.
        const upstreamPort = environmentOf(serviceIn(variant, host)).PORT;
        if (upstreamPort !== undefined) expect({ variable, port }).toEqual({ variable, port: upstreamPort });
      }
    },
  );
});
