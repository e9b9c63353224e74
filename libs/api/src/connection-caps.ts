import type { Server, Socket } from 'node:net';
import { addressBucketOf } from './client-address';

/**
 * At most `maxPerAddress` open connections from one address (an IPv6 client by its /64): one
 * client cannot take every socket the process has. A connection past it is destroyed at accept,
 * before a byte of it is read. `exempt` peers (trusted proxies, which carry many clients) are
 * not counted.
 */
export function capConnectionsPerAddress(
  server: Server,
  maxPerAddress: number,
  options: { exempt?: (address: string | undefined) => boolean; onRefused?: () => void } = {},
): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    if (options.exempt?.(socket.remoteAddress)) return;
    const key = addressBucketOf(socket.remoteAddress ?? 'unknown');
    const count = open.get(key) ?? 0;
    if (count >= maxPerAddress) {
      options.onRefused?.();
      socket.destroy();
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left === 0) open.delete(key);
      else open.set(key, left);
    });
  });
}
