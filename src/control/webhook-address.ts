/**
 * @module webhook-address — keeps outbound webhooks out of the internal network: an address is
 * "private" when it is loopback, private (RFC 1918, unique-local), link-local, carrier NAT, multicast,
 * reserved, unspecified, or an IPv4-mapped/NAT64 form of one. `guardedLookup` resolves a host name and
 * refuses it when any of its addresses is private (unless allowed), and hands the socket the very
 * address it checked, so a DNS answer that changes between check and connect cannot slip through.
 */
import { BlockList, isIP } from 'node:net';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { lookup } from 'node:dns';

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32],
] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: never connect to it
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

export class WebhookAddressError extends Error {
  override readonly name = 'WebhookAddressError';
  readonly code = 'private_address';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request that refuses private addresses unless `allowPrivate`. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    lookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (!allowPrivate && bad !== undefined) {
        return callback(Object.assign(new WebhookAddressError(`${hostname} resolves to ${bad.address}, a private address`), { errno: 0 }), []);
      }
      if ('all' in options && options.all === true) return callback(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** An IP literal in a URL is never looked up: check it directly. */
export function literalRefused(hostname: string, allowPrivate: boolean): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return !allowPrivate && isIP(bare) !== 0 && isPrivateAddress(bare);
}
