import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  readonly method: string;
  /** As Fastify has it: `/carts/:cartId`. */
  readonly url: string;
}

const ROUTES = new WeakMap<object, RegisteredRoute[]>();

/** Keeps every route the instance registers from now on (Fastify's onRoute hook), for `registeredRoutes`. */
export function recordRoutes(fastify: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  ROUTES.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
}

/** The routes Fastify registered on an instance of stockadeHttpAdapter (its automatic HEAD routes too): what the app really answers. */
export function registeredRoutes(fastify: object): readonly RegisteredRoute[] {
  const routes = ROUTES.get(fastify);
  if (!routes) throw new Error('routes are recorded on the Fastify instance of stockadeHttpAdapter only');
  return routes;
}
