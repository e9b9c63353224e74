import { BlockList, isIP } from 'node:net';

/** Names for common ranges, as proxy-addr (Fastify's trustProxy) knows them. */
const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** What is wrong with one entry of a trusted-proxy list (an IP, a CIDR, or loopback / linklocal / uniquelocal), if anything. */
export function trustedProxyEntryIssue(entry: string): string | undefined {
  if (NAMED_RANGES[entry]) return undefined;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0)
    return `"${entry}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`;
  if (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)))
    return `"${entry}" has an invalid prefix length`;
  return undefined;
}

/**
 * The proxies whose X-Forwarded-For is believed (STOCKADE_TRUSTED_PROXIES). Fastify asks it for
 * each hop (trustProxy), so `request.ip` is the client's address behind these proxies only; a
 * header from anyone else is ignored. The per-address connection cap exempts them too: one proxy
 * carries many clients.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    const issue = entries.map(trustedProxyEntryIssue).find((found) => found !== undefined);
    if (issue) throw new Error(issue);
    for (const entry of entries.flatMap((name) => NAMED_RANGES[name] ?? [name])) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(prefix), family);
    }
    this.empty = entries.length === 0;
  }

  trusts(peer: string | undefined): boolean {
    if (this.empty || !peer) return false;
    const address = peer.split('%')[0] as string; // without an IPv6 zone (fe80::1%eth0)
    // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return this.list.check(mapped[1] as string, 'ipv4');
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
