/**
 * Security primitives in one place: constant-time comparison, log-safe fingerprints, the strength
 * rule for operator secrets, and the address rules for loopback, private ranges and webhook targets.
 * docs/security.md explains each rule; config.ts and the middleware apply them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * Whether two strings are equal, in time independent of where they differ and of their lengths:
 * both sides are hashed first, so timingSafeEqual always compares 32 bytes.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/** The `Bearer` credential of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** A short, stable stand-in for a credential in logs: `sha256:` and the first 12 hex digits. */
export function fingerprint(value: string): string {
  return `sha256:${sha256(value).toString('hex').slice(0, 12)}`;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

// ---------------------------------------------------------------------------------------------
// Secret strength

export const MIN_SECRET_BITS = 128;
export const MIN_DISTINCT_CHARACTERS = 10;

/** Estimated entropy in bits: length × log2(alphabet), the alphabet read from the classes used. */
export function estimatedEntropyBits(secret: string): number {
  const chars = [...secret];
  if (chars.length === 0) return 0;
  let alphabet: number;
  if (/^[0-9a-f]+$/.test(secret) || /^[0-9A-F]+$/.test(secret)) alphabet = 16;
  else {
    alphabet = 0;
    if (/[a-z]/.test(secret)) alphabet += 26;
    if (/[A-Z]/.test(secret)) alphabet += 26;
    if (/[0-9]/.test(secret)) alphabet += 10;
    if (/[^a-zA-Z0-9]/.test(secret)) alphabet += 33;
  }
  return chars.length * Math.log2(alphabet);
}

/**
 * Why a secret is too weak for real mode, or undefined when it is strong enough. The rule
 * (docs/security.md, "Secret strength"): at least 10 distinct characters, an estimated entropy of at
 * least 128 bits, and no more than half of neighbouring pairs repeating or counting (aaaa, abcd, 1234).
 * `openssl rand -hex 32` and `openssl rand -base64 32` always pass.
 */
export function secretWeakness(secret: string): string | undefined {
  const chars = [...secret];
  const distinct = new Set(chars).size;
  if (distinct < MIN_DISTINCT_CHARACTERS)
    return `has only ${distinct} distinct characters (at least ${MIN_DISTINCT_CHARACTERS} needed)`;
  const bits = Math.floor(estimatedEntropyBits(secret));
  if (bits < MIN_SECRET_BITS)
    return `has an estimated ${bits} bits of entropy (at least ${MIN_SECRET_BITS} needed)`;
  let patterned = 0;
  for (let i = 1; i < chars.length; i++) {
    const step = chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!;
    if (Math.abs(step) <= 1) patterned++;
  }
  if (patterned * 2 > chars.length - 1) return 'is a run or a sequence of characters, not random';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Addresses and hosts

/** Parses an IP address (IPv4, IPv6, bracketed IPv6), unwrapping IPv4-mapped IPv6; undefined if not one. */
export function parseAddress(raw: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  // Strict forms only: ipaddr.isValid also takes `0x7f.1` or `2130706433`, which no peer or proxy writes.
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return undefined;
  try {
    return ipaddr.process(bare);
  } catch {
    return undefined;
  }
}

/** Canonical text of an address (`::ffff:10.0.0.1` → `10.0.0.1`); the input unchanged if not an address. */
export function normalizeAddress(raw: string): string {
  return parseAddress(raw)?.toString() ?? raw;
}

export function isLoopbackAddress(raw: string): boolean {
  return parseAddress(raw)?.range() === 'loopback';
}

/**
 * Whether a URL host is loopback: a literal loopback address or exactly `localhost`. Other names that
 * merely look local (`localhost.example`, `127.0.0.1.nip.io`, `foo.localhost`) go through DNS and are
 * not trusted to stay on this machine.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || isLoopbackAddress(host);
}

/** Host names of cloud metadata services (instance credentials live behind them). */
export const METADATA_HOSTS: readonly string[] = [
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
  'metadata.tencentyun.com',
];

/** Address ranges a webhook may reach without ALLOW_PRIVATE_WEBHOOK: the public internet and this machine. */
const WEBHOOK_RANGES = new Set(['unicast', 'loopback']);

/** An IPv4 address written into a host name (`10.0.0.1.nip.io`, `10-0-0-1.sslip.io`). */
const EMBEDDED_IPV4 = /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})(?=$|[.-])/;

/**
 * Why `url` must not receive webhooks, or undefined when it may. Refused unless the operator allows
 * private targets: literal addresses outside the public unicast and loopback ranges (private,
 * link-local such as 169.254.169.254, unique-local such as fd00:ec2::254, carrier-grade NAT, reserved,
 * NAT64/6to4 wrappers …), the known metadata host names, names that claim loopback without being it,
 * and names that embed a non-public IPv4 address. Host names are not resolved: DNS can change after
 * start, so this check stops configuration mistakes; network egress rules stop the rest.
 */
export function webhookTargetProblem(url: URL): string | undefined {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const address = parseAddress(host);
  if (address) {
    const range = address.range();
    return WEBHOOK_RANGES.has(range) ? undefined : `${host} is in a ${range} address range`;
  }
  if (METADATA_HOSTS.includes(host)) return `${host} is a cloud metadata service`;
  if (
    host !== 'localhost' &&
    (host.endsWith('.localhost') ||
      host.startsWith('localhost.') ||
      host === 'localtest.me' ||
      host.endsWith('.localtest.me'))
  ) {
    return `${host} only claims to be loopback by its name`;
  }
  const embedded = EMBEDDED_IPV4.exec(host);
  if (embedded) {
    const candidate = parseAddress(embedded.slice(1, 5).join('.'));
    if (candidate && candidate.range() !== 'unicast')
      return `${host} names the ${candidate.range()} address ${candidate.toString()}`;
  }
  return undefined;
}
