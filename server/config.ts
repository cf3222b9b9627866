/**
 * Every setting of the proxy, read from the environment once at start and validated. A bad value stops
 * the server with a message that names the variable and the fix (see README, "Configuration").
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LogLevel } from './log.ts';

export type Mode = 'capture' | 'redirect' | 'provider-sdk';
export const MODES: readonly Mode[] = ['capture', 'redirect', 'provider-sdk'];

export const DOCUMENT_TYPE_IDS = ['passport', 'identityCard', 'driversLicense', 'residencePermit'] as const;
export type DocumentTypeId = (typeof DOCUMENT_TYPE_IDS)[number];

export interface Config {
  /** `sandbox` when no Signicat credentials are set: the embedded emulator is mounted at /emulator. */
  sandbox: boolean;
  port: number;
  host: string;
  /** Origin the browser and Signicat reach this server on; in sandbox mode derived from HOST and PORT. */
  publicUrl?: string;
  signicat: { clientId: string; clientSecret: string; apiUrl: string; tokenUrl: string };
  sessionSecret: string;
  /** True when SESSION_SECRET was generated at start: sessions then end with the process. */
  sessionSecretGenerated: boolean;
  sessionTtlSeconds: number;
  allowedOrigins: string[];
  proxyApiKey?: string;
  providers: Record<Mode, string[]>;
  documentTypes: DocumentTypeId[];
  documentTypesCacheSeconds: number;
  maxImageBytes: number;
  upstreamTimeoutMs: number;
  poll: { initialMs: number; maxMs: number; giveUpSeconds: number };
  delivery: {
    webhookUrl?: string;
    webhookSecret?: string;
    archiveDir?: string;
    deleteAfterDelivery: boolean;
  };
  exposeResultFields: string[];
  emulatorDelayMs: number;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const SIGNICAT_API_URL = 'https://api.signicat.com';
const SIGNICAT_TOKEN_URL = 'https://api.signicat.com/auth/open/connect/token';

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const PROVIDER = /^[a-z][a-z0-9]{1,31}$/;

/** Variables, their defaults and how to fix them; README's configuration table mirrors this. */
const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SIGNICAT_CLIENT_ID: z.string().min(1).optional(),
  SIGNICAT_CLIENT_SECRET: z.string().min(1).optional(),
  SIGNICAT_API_URL: z.url({ protocol: /^https?$/ }).default(SIGNICAT_API_URL),
  SIGNICAT_TOKEN_URL: z.url({ protocol: /^https?$/ }).default(SIGNICAT_TOKEN_URL),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 32)').optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1800),
  ALLOWED_ORIGINS: z.string().optional(),
  PROXY_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  CAPTURE_PROVIDERS: z.string().default('signicatpaper,onfido'),
  REDIRECT_PROVIDERS: z.string().default('signicatpaper,onfido,signicatpictureid'),
  PROVIDER_SDK_PROVIDERS: z.string().default('onfido,eid,readid,facetec'),
  DOCUMENT_TYPES: z.string().default(DOCUMENT_TYPE_IDS.join(',')),
  DOCUMENT_TYPES_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400 * 7).default(3600),
  MAX_IMAGE_BYTES: z.coerce.number().int().min(10_000).max(4 * 1024 * 1024).default(4 * 1024 * 1024),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  POLL_INITIAL_MS: z.coerce.number().int().min(10).max(600_000).default(5000),
  POLL_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  POLL_GIVE_UP_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(86_400),
  RESULT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  RESULT_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -hex 32)').optional(),
  RESULT_ARCHIVE_DIR: z.string().min(1).optional(),
  DELETE_AFTER_DELIVERY: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true'),
  EXPOSE_RESULT_FIELDS: z.string().default(''),
  EMULATOR_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1500),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = env.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;

  const hasId = Boolean(e.SIGNICAT_CLIENT_ID), hasSecret = Boolean(e.SIGNICAT_CLIENT_SECRET);
  if (hasId !== hasSecret) {
    throw new ConfigError(
      `Invalid configuration:\n  ${hasId ? 'SIGNICAT_CLIENT_SECRET' : 'SIGNICAT_CLIENT_ID'}: missing; set both SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET for real mode, or neither for sandbox mode`,
    );
  }
  const sandbox = !hasId;
  const problems: string[] = [];
  if (!sandbox) {
    if (!e.SESSION_SECRET) problems.push('SESSION_SECRET: required in real mode (try: openssl rand -base64 32)');
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL: required in real mode: the https origin Signicat sends callbacks to and browsers use');
  }

  const providers = {
    capture: list(e.CAPTURE_PROVIDERS),
    redirect: list(e.REDIRECT_PROVIDERS),
    'provider-sdk': list(e.PROVIDER_SDK_PROVIDERS),
  } satisfies Record<Mode, string[]>;
  for (const [name, values] of [
    ['CAPTURE_PROVIDERS', providers.capture],
    ['REDIRECT_PROVIDERS', providers.redirect],
    ['PROVIDER_SDK_PROVIDERS', providers['provider-sdk']],
  ] as const) {
    const bad = values.filter((p) => !PROVIDER.test(p));
    if (bad.length) problems.push(`${name}: not provider names: ${bad.join(', ')} (lowercase letters and digits, e.g. signicatpaper)`);
  }

  const documentTypes = list(e.DOCUMENT_TYPES);
  const unknownTypes = documentTypes.filter((t) => !(DOCUMENT_TYPE_IDS as readonly string[]).includes(t));
  if (unknownTypes.length || !documentTypes.length) {
    problems.push(`DOCUMENT_TYPES: unknown ${unknownTypes.join(', ') || '(empty)'}; choose from ${DOCUMENT_TYPE_IDS.join(', ')}`);
  }

  const allowedOrigins: string[] = [];
  for (const raw of list(e.ALLOWED_ORIGINS)) {
    const origin = parseOrigin(raw);
    if (!origin) problems.push(`ALLOWED_ORIGINS: "${raw}" is not an origin like https://shop.example`);
    else allowedOrigins.push(origin);
  }

  if (Boolean(e.RESULT_WEBHOOK_URL) !== Boolean(e.RESULT_WEBHOOK_SECRET)) {
    problems.push('RESULT_WEBHOOK_SECRET: RESULT_WEBHOOK_URL and RESULT_WEBHOOK_SECRET go together; set both or neither');
  }
  if (e.POLL_MAX_MS < e.POLL_INITIAL_MS) problems.push('POLL_MAX_MS: must not be below POLL_INITIAL_MS');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  const publicUrl = e.PUBLIC_URL ? parseOrigin(e.PUBLIC_URL) : undefined;
  if (publicUrl && !allowedOrigins.includes(publicUrl)) allowedOrigins.push(publicUrl);

  return {
    sandbox,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    signicat: {
      clientId: e.SIGNICAT_CLIENT_ID ?? '',
      clientSecret: e.SIGNICAT_CLIENT_SECRET ?? '',
      apiUrl: e.SIGNICAT_API_URL.replace(/\/+$/, ''),
      tokenUrl: e.SIGNICAT_TOKEN_URL,
    },
    sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    sessionSecretGenerated: !e.SESSION_SECRET,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    allowedOrigins,
    proxyApiKey: e.PROXY_API_KEY,
    providers,
    documentTypes: documentTypes as DocumentTypeId[],
    documentTypesCacheSeconds: e.DOCUMENT_TYPES_CACHE_SECONDS,
    maxImageBytes: e.MAX_IMAGE_BYTES,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    poll: { initialMs: e.POLL_INITIAL_MS, maxMs: e.POLL_MAX_MS, giveUpSeconds: e.POLL_GIVE_UP_SECONDS },
    delivery: {
      webhookUrl: e.RESULT_WEBHOOK_URL,
      webhookSecret: e.RESULT_WEBHOOK_SECRET,
      archiveDir: e.RESULT_ARCHIVE_DIR,
      deleteAfterDelivery: ['true', '1', 'yes'].includes(e.DELETE_AFTER_DELIVERY),
    },
    exposeResultFields: list(e.EXPOSE_RESULT_FIELDS),
    emulatorDelayMs: e.EMULATOR_DELAY_MS,
    logLevel: e.LOG_LEVEL,
  };
}

/** `https://a.example/path` → `https://a.example`; undefined for anything that is not http(s). */
export function parseOrigin(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
