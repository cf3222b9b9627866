/**
 * Who is calling, for rate limits and caps: the TCP peer, or, behind `trustProxyHops` reverse proxies,
 * the address the outermost trusted proxy saw. X-Forwarded-For is never read when no proxy is trusted:
 * any client can write that header.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { normalizeAddress, parseAddress } from '../security.ts';

/** Used when the request did not arrive over a Node socket (e.g. `app.request()` in a test). */
export const UNKNOWN_CLIENT = 'unknown';

/** The TCP peer's address (IPv4-mapped IPv6 unwrapped), or undefined when there is no socket. */
export function socketAddress(c: Context): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? normalizeAddress(address) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The client's address. With `trustProxyHops` = N > 0 it is the N-th X-Forwarded-For entry from the
 * right (each trusted proxy appends the peer it saw; entries further left are the client's own claims);
 * with fewer entries, the left-most one. Falls back to the socket when the header is absent or the
 * chosen entry is not an address.
 */
export function clientAddress(c: Context, trustProxyHops: number): string {
  const socket = socketAddress(c) ?? UNKNOWN_CLIENT;
  if (trustProxyHops <= 0) return socket;
  const chain = forwardedChain(c.req.header('X-Forwarded-For'));
  if (chain.length === 0) return socket;
  const chosen = chain[Math.max(0, chain.length - trustProxyHops)]!;
  const address = parseAddress(stripPort(chosen));
  return address ? address.toString() : socket;
}

/**
 * The key rate limits count by: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber
 * usually holds a whole /64, so counting single IPv6 addresses would not limit anyone).
 */
export function addressKey(address: string): string {
  const parsed = parseAddress(address);
  if (!parsed || parsed.kind() === 'ipv4') return parsed ? parsed.toString() : address;
  const parts = (parsed as { parts: number[] }).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}

/** `addressKey(clientAddress(c, trustProxyHops))`: what the proxy's rate limits key on. */
export function clientKey(c: Context, trustProxyHops: number): string {
  return addressKey(clientAddress(c, trustProxyHops));
}

function forwardedChain(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** `1.2.3.4:5678` → `1.2.3.4`, `[::1]:80` → `::1`; bare IPv6 stays as it is. */
function stripPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4 ? v4[1]! : entry;
}
