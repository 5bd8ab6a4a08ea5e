/**
 * Who is asking: the one place the server derives a client's rate-limit bucket (#17.1). Every per-client limit
 * (notice receipts, reports, lookups, SMS, uploads) takes its bucket from here, so a proxy header fools all of them
 * or none.
 *
 *   const clientBucket = createClientBucket({ trustProxy, trustedProxies }); // once, at startup (throws on a bad CIDR)
 *   clientBucket(c: Context): string  // '203.0.113.7', '2001:db8:1:2::/64' or 'unknown'
 *
 * - Without proxy options the bucket is the socket's peer address; `X-Forwarded-For` is ignored.
 * - `trustProxy`: one proxy of ours sits in front and appends the address it saw, so the RIGHT-most entry is the
 *   client; everything to its left was written by the client and is ignored.
 * - `trustedProxies` (CIDRs): only when the socket peer is one of them, `X-Forwarded-For` is walked from the right,
 *   skipping trusted proxies; the first address outside them is the client.
 * - An entry that is not an IP address (`unknown`, a host name, garbage) ends the walk: the last hop we trust is
 *   taken instead, which with `trustProxy` is the socket address. Ports and IPv6 brackets are removed; zone ids and
 *   anything else are refused.
 * - IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is IPv4. An IPv6 client is bucketed by its /64: one subscriber gets a
 *   whole /64, so counting single addresses would give each of them 2^64 buckets.
 *
 * The bucket is personal data: callers hash it with the day's salt (`rate-limit.ts`) before it is stored.
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export interface ProxyTrust {
  /** One proxy of ours in front: take the right-most `X-Forwarded-For` entry (the one it appended). */
  trustProxy?: boolean;
  /** CIDRs (or single addresses) of our proxies: walk `X-Forwarded-For` from the right past them. */
  trustedProxies?: readonly string[];
}

export type ClientBucket = (c: Context) => string;

type Ip = { family: 4 | 6; address: string };

/** Parses one address as written in a socket or an `X-Forwarded-For` entry; undefined when it is not an IP address. */
export function parseIp(text: string): Ip | undefined {
  let value = text.trim();
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else {
    const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
    if (withPort) value = withPort[1]!;
  }
  if (!/^[0-9A-Fa-f:.]{2,45}$/.test(value)) return undefined; // no zone ids, no names, no spaces
  const family = isIP(value);
  if (family === 4) return { family: 4, address: value };
  if (family !== 6) return undefined;
  const groups = ipv6Groups(value);
  if (!groups) return undefined;
  // ::ffff:a.b.c.d (and its hex spelling) is an IPv4 client on a dual-stack socket.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6]!, groups[7]!];
    return { family: 4, address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}` };
  }
  return { family: 6, address: groups.map((g) => g.toString(16)).join(':') };
}

/** The eight 16-bit groups of a valid (isIP === 6) IPv6 address. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** The bucket of one client address: IPv4 as is, IPv6 by its /64 prefix. */
export function bucketOf(ip: Ip): string {
  if (ip.family === 4) return ip.address;
  return `${ip.address.split(':').slice(0, 4).join(':')}::/64`;
}

function trustedSet(cidrs: readonly string[]): (ip: Ip) => boolean {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [base = '', prefix, ...rest] = cidr.trim().split('/');
    const ip = parseIp(base);
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!ip || rest.length || (bits !== undefined && !(bits <= (ip.family === 4 ? 32 : 128)))) {
      throw new Error(`trusted proxy "${cidr}" is not an IP address or CIDR (e.g. 10.0.0.0/8, fd00::/8)`);
    }
    const type = ip.family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(ip.address, type);
    else list.addSubnet(ip.address, bits, type);
  }
  return (ip) => list.check(ip.address, ip.family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Compiles the proxy configuration (a malformed CIDR throws here, at startup) into a function from the socket's
 * peer address and the `X-Forwarded-For` header to the client address, by the rules at the top of this module.
 */
export function createClientResolver(trust: ProxyTrust = {}): (socket: string | undefined, forwardedFor: string | undefined) => Ip | undefined {
  const isTrusted = trust.trustedProxies?.length ? trustedSet(trust.trustedProxies) : undefined;
  return (socket, forwardedFor) => {
    const peer = socket === undefined ? undefined : parseIp(socket);
    if (!peer || !forwardedFor) return peer;
    const entries = forwardedFor.split(',');
    if (isTrusted) {
      let hop = peer;
      for (let i = entries.length - 1; i >= 0 && isTrusted(hop); i--) {
        const next = parseIp(entries[i]!);
        if (!next) break;
        hop = next;
      }
      return hop;
    }
    if (trust.trustProxy) return parseIp(entries[entries.length - 1]!) ?? peer;
    return peer;
  };
}

/** Builds the bucket function once from the configuration: `clientBucket(c)` for every per-client limit. */
export function createClientBucket(trust: ProxyTrust = {}): ClientBucket {
  const resolve = createClientResolver(trust);
  const proxied = Boolean(trust.trustProxy || trust.trustedProxies?.length);
  return (c) => {
    let socket: string | undefined;
    try {
      socket = getConnInfo(c).remote.address;
    } catch {
      socket = undefined; // not served by @hono/node-server (app.fetch without bindings)
    }
    const ip = resolve(socket, proxied ? c.req.header('x-forwarded-for') : undefined);
    return ip ? bucketOf(ip) : 'unknown';
  };
}

/** Whether a listen address stays on this machine: `localhost`, 127.0.0.0/8 or `::1` (for `--dev`, #17.12). */
export function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const ip = parseIp(host);
  if (!ip) return false;
  return ip.family === 4 ? ip.address.startsWith('127.') : ip.address === '0:0:0:0:0:0:0:1';
}
