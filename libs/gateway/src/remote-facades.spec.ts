import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamClient } from './remote-facades';

/** A service that holds every request until released, counting how many it holds at once and what each said it was. */
async function holdingService() {
  let holding = 0;
  let most = 0;
  const contentTypes: (string | undefined)[] = [];
  const waiting: (() => void)[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    contentTypes.push(request.headers['content-type']);
    holding++;
    most = Math.max(most, holding);
    waiting.push(() => {
      holding--;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    most: () => most,
    held: () => waiting.length,
    contentTypes,
    releaseAll: () => waiting.splice(0).forEach((release) => release()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the gateway calling a service', () => {
  it('given 2 calls allowed in flight, when 6 are made at once, then the service never holds more than 2 (it caps connections per address) and all 6 are answered', async () => {
    const service = await holdingService();
    const client = new UpstreamClient(service.url, 'operator-token', 5_000, 2);
    const answered = Promise.all(
      Array.from({ length: 6 }, (_, index) => client.call<{ ok: boolean }>('GET', `/inventory/S${index}`)),
    );
    let done = false;
    void answered.then(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      service.releaseAll();
    }
    const answers = await answered;
    await service.close();
    expect(answers).toEqual(Array.from({ length: 6 }, () => ({ ok: true })));
    expect(service.most()).toBe(2);
  });

  it('given a call without a body that changes state (cancel, remove a cart line), then it says content-type: application/json, as the service requires', async () => {
    const service = await holdingService();
    const client = new UpstreamClient(service.url, 'operator-token');
    const calls = [
      client.call('POST', '/orders/o-1/cancel'),
      client.call('DELETE', '/carts/c/items/S'),
      client.call('GET', '/orders/o-1'),
    ];
    while (service.held() < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    service.releaseAll();
    await Promise.all(calls);
    await service.close();
    expect(service.contentTypes).toEqual(['application/json', 'application/json', undefined]);
  });
});
