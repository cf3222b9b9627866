/**
 * Every setting of the proxy, read from the environment once at start and validated. A bad value stops
 * the server with a message that names the variable and the fix (see README, "Configuration").
 */
import { randomBytes } from 'node:crypto';
import countries from 'i18n-iso-countries';
import { z } from 'zod';
import type { LogLevel } from './log.ts';
import { isLoopbackHost, secretWeakness, webhookTargetProblem } from './security.ts';

import {
  ANY_PASSPORT_COUNTRY,
  DOCUMENT_KINDS,
  type DocumentKind,
  type Mode,
} from '../component/contract/index.ts';

export { MODES, type Mode } from '../component/contract/index.ts';
/** @deprecated use DOCUMENT_KINDS from the contract */
export const DOCUMENT_TYPE_IDS = DOCUMENT_KINDS;
export type DocumentTypeId = DocumentKind;

export interface Config {
  /**
   * The embedded emulator stands in for Signicat (mounted at /emulator). Only when nothing
   * production-like is configured, or when SANDBOX=1 forces it (see `productionSignals`).
   */
  sandbox: boolean;
  /** SANDBOX=1: sandbox mode was asked for explicitly; the server warns, emulator control is open to every client. */
  sandboxForced: boolean;
  /** Things the operator should hear about at start (e.g. credentials ignored under SANDBOX=1). */
  startupWarnings?: string[];
  port: number;
  host: string;
  /** Origin the browser and Signicat reach this server on; in sandbox mode derived from HOST and PORT. */
  publicUrl?: string;
  signicat: {
    clientId: string;
    clientSecret: string;
    apiUrl: string;
    tokenUrl: string;
    /** `basic`: RFC 6749 (id and secret form-encoded before base64); `basic-raw`: base64(id:secret) as given. */
    tokenAuth: 'basic' | 'basic-raw';
    /** Secret of the Signicat Events subscription; unset: /api/signicat/events answers 404. */
    eventsSecret?: string;
    /** How `documentCountry` is sent to Signicat (the spec's form is ambiguous). */
    documentCountryFormat: 'alpha2' | 'alpha3';
  };
  /** Issuing country when a session names none: alpha-2 or UNIV (any passport). Sandbox default NO. */
  defaultDocumentCountry?: string;
  /** Reverse proxies in front that append to X-Forwarded-For; 0: the socket address is the client. */
  trustProxyHops: number;
  /** `backend`: only sessions created with PROXY_API_KEY are accepted. */
  sessionCreation: 'public' | 'backend';
  rateLimit: {
    sessionsPerMinute: number;
    sessionsGlobalPerMinute: number;
    uploadsPerMinute: number;
    submitsPerMinute: number;
  };
  limits: {
    jsonBodyBytes: number;
    uploadsPerClient: number;
    ssePerSession: number;
    ssePerClient: number;
    sseTotal: number;
    requestTimeoutMs: number;
    headersTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };
  /** ALLOW_PRIVATE_WEBHOOK=1: RESULT_WEBHOOK_URL may point into private, link-local or metadata ranges. */
  allowPrivateWebhook: boolean;
  /** REDIS_URL: several instances share state through this Redis (docs/scale-out.md); unset: in memory. */
  redisUrl?: string;
  sessionSecret: string;
  /** True when SESSION_SECRET was generated at start: sessions then end with the process. */
  sessionSecretGenerated: boolean;
  sessionTtlSeconds: number;
  /** Lifetime of a cross-device hand-off link (HANDOFF_TTL_SECONDS), never past its session. */
  handoffTtlSeconds: number;
  allowedOrigins: string[];
  proxyApiKey?: string;
  providers: Record<Mode, string[]>;
  documentTypes: DocumentTypeId[];
  documentTypesCacheSeconds: number;
  maxImageBytes: number;
  upstreamTimeoutMs: number;
  /** Upstream-bound requests (uploads, submits, …) in flight per instance; past it: 503 `overloaded`. 0: no cap. */
  upstreamConcurrency: number;
  /** Verified session tokens kept in memory to skip decrypting them again; 0: none. */
  sessionTokenCacheEntries: number;
  poll: { initialMs: number; maxMs: number; giveUpSeconds: number };
  delivery: {
    webhookUrl?: string;
    webhookSecret?: string;
    archiveDir?: string;
    deleteAfterDelivery: boolean;
    /** First wait before a failed delivery is tried again (doubling, up to 30 min). */
    retryBaseMs: number;
    /** Stop retrying a delivery (and its dossier's deletion) after this long. */
    giveUpSeconds: number;
    /** A dossier of ours that never got a process is deleted by the reconciliation after this long. */
    orphanGraceSeconds: number;
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
const FLAG = z.enum(['true', 'false', '1', '0', 'yes', 'no'], {
  error: 'must be 1 or 0 (true/false, yes/no)',
});
const isOn = (value: string | undefined) =>
  value !== undefined && ['true', '1', 'yes'].includes(value);
const isOff = (value: string | undefined) =>
  value !== undefined && ['false', '0', 'no'].includes(value);
const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Secrets the operator chooses; real mode refuses weak ones (security.ts, `secretWeakness`). */
const OPERATOR_SECRETS = [
  'SESSION_SECRET',
  'RESULT_WEBHOOK_SECRET',
  'PROXY_API_KEY',
  'SIGNICAT_EVENTS_SECRET',
] as const;

/** Variables, their defaults and how to fix them; README's configuration table mirrors this. */
const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SIGNICAT_CLIENT_ID: z.string().min(1).optional(),
  SIGNICAT_CLIENT_SECRET: z.string().min(1).optional(),
  SIGNICAT_API_URL: z.url({ protocol: /^https?$/ }).default(SIGNICAT_API_URL),
  SIGNICAT_TOKEN_URL: z.url({ protocol: /^https?$/ }).default(SIGNICAT_TOKEN_URL),
  SIGNICAT_TOKEN_AUTH: z
    .enum(['basic', 'basic-raw'], { error: 'must be basic (RFC 6749 form-encoding) or basic-raw' })
    .default('basic'),
  SIGNICAT_EVENTS_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters (copy it from the Signicat Events subscription)')
    .optional(),
  SIGNICAT_DOCUMENT_COUNTRY_FORMAT: z
    .enum(['alpha2', 'alpha3'], { error: 'must be alpha2 or alpha3' })
    .default('alpha2'),
  DEFAULT_DOCUMENT_COUNTRY: z.string().optional(),
  SANDBOX: FLAG.optional(),
  NODE_ENV: z.string().optional(),
  TRUST_PROXY_HOPS: int(0, 10, 0),
  SESSION_CREATION: z
    .enum(['public', 'backend'], { error: 'must be public or backend' })
    .default('public'),
  RATE_LIMIT_SESSIONS_PER_MINUTE: int(1, 1_000_000, 20),
  RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE: int(1, 10_000_000, 600),
  RATE_LIMIT_UPLOADS_PER_MINUTE: int(1, 1_000_000, 60),
  RATE_LIMIT_SUBMITS_PER_MINUTE: int(1, 1_000_000, 20),
  MAX_JSON_BODY_BYTES: int(1024, 1024 * 1024, 16_384),
  MAX_CONCURRENT_UPLOADS_PER_CLIENT: int(1, 1000, 4),
  SSE_MAX_PER_SESSION: int(1, 100, 3),
  SSE_MAX_PER_CLIENT: int(1, 100_000, 50),
  SSE_MAX_TOTAL: int(1, 1_000_000, 5000),
  REQUEST_TIMEOUT_MS: int(1000, 600_000, 30_000),
  HEADERS_TIMEOUT_MS: int(1000, 600_000, 10_000),
  KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000, 5000),
  MAX_CONNECTIONS: int(10, 1_000_000, 10_000),
  ALLOW_PRIVATE_WEBHOOK: FLAG.default('false'),
  SESSION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (try: openssl rand -base64 32)')
    .optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1800),
  HANDOFF_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  ALLOWED_ORIGINS: z.string().optional(),
  PROXY_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  CAPTURE_PROVIDERS: z.string().default('signicatpaper,onfido'),
  REDIRECT_PROVIDERS: z.string().default('signicatpaper,onfido,signicatpictureid'),
  // FaceTec's Start verification needs enrolment fields this proxy does not collect: not a default.
  PROVIDER_SDK_PROVIDERS: z.string().default('onfido,signicatvideoid,readid'),
  DOCUMENT_TYPES: z.string().default(DOCUMENT_TYPE_IDS.join(',')),
  DOCUMENT_TYPES_CACHE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400 * 7)
    .default(3600),
  MAX_IMAGE_BYTES: z.coerce
    .number()
    .int()
    .min(10_000)
    .max(4 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  MAX_UPSTREAM_CONCURRENCY: int(0, 100_000, 64),
  SESSION_TOKEN_CACHE_ENTRIES: int(0, 1_000_000, 10_000),
  POLL_INITIAL_MS: z.coerce.number().int().min(10).max(600_000).default(5000),
  POLL_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  POLL_GIVE_UP_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(86_400),
  RESULT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  RESULT_WEBHOOK_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (try: openssl rand -hex 32)')
    .optional(),
  RESULT_ARCHIVE_DIR: z.string().min(1).optional(),
  DELETE_AFTER_DELIVERY: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true'),
  DELIVERY_RETRY_BASE_MS: int(10, 3_600_000, 30_000),
  DELIVERY_GIVE_UP_SECONDS: int(1, 30 * 86_400, 86_400),
  ORPHAN_DOSSIER_GRACE_SECONDS: int(0, 7 * 86_400, 600),
  EXPOSE_RESULT_FIELDS: z.string().default(''),
  EMULATOR_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1500),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // The value may hold a password: messages name the variable, never echo it.
  REDIS_URL: z
    .string()
    .refine(
      (value) => redisUrlHost(value) !== undefined,
      'must be a redis:// or rediss:// URL, e.g. rediss://:password@redis.internal:6380/0',
    )
    .optional(),
});

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = env.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${String(issue.path[0])}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;

  const problems: string[] = [];
  const hasId = Boolean(e.SIGNICAT_CLIENT_ID),
    hasSecret = Boolean(e.SIGNICAT_CLIENT_SECRET);
  const sandboxForced = isOn(e.SANDBOX);
  const startupWarnings: string[] = [];
  let sandbox: boolean;
  if (sandboxForced) {
    sandbox = true;
    if (hasId || hasSecret)
      startupWarnings.push(
        'SIGNICAT_CLIENT_ID/SIGNICAT_CLIENT_SECRET are ignored: SANDBOX=1 runs the Assure API emulator',
      );
  } else if (hasId && hasSecret) {
    sandbox = false;
  } else {
    // Missing credentials must never fall back to sandbox silently when the rest says production:
    // a failed secret mount would otherwise yield signed, fake "accepted" results.
    const signals = productionSignals(e);
    if (signals.length || isOff(e.SANDBOX)) {
      const why = isOff(e.SANDBOX)
        ? 'SANDBOX=0 asks for real mode'
        : `this configuration looks like production (${signals.join('; ')})`;
      const missing = hasId
        ? 'SIGNICAT_CLIENT_SECRET'
        : hasSecret
          ? 'SIGNICAT_CLIENT_ID'
          : 'SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET';
      problems.push(
        `${missing}: missing; set both SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET for real mode (did a secret mount fail?), or set SANDBOX=1 to run the Assure API emulator on purpose. Not falling back to sandbox mode: ${why}`,
      );
      throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
    sandbox = true;
  }
  if (!sandbox) {
    if (!e.SESSION_SECRET)
      problems.push('SESSION_SECRET: required in real mode (try: openssl rand -base64 32)');
    if (!e.PUBLIC_URL)
      problems.push(
        'PUBLIC_URL: required in real mode: the https origin Signicat sends callbacks to and browsers use',
      );
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
    if (bad.length)
      problems.push(
        `${name}: not provider names: ${bad.join(', ')} (lowercase letters and digits, e.g. signicatpaper)`,
      );
  }

  const documentTypes = list(e.DOCUMENT_TYPES);
  const unknownTypes = documentTypes.filter(
    (t) => !(DOCUMENT_TYPE_IDS as readonly string[]).includes(t),
  );
  if (unknownTypes.length || !documentTypes.length) {
    problems.push(
      `DOCUMENT_TYPES: unknown ${unknownTypes.join(', ') || '(empty)'}; choose from ${DOCUMENT_TYPE_IDS.join(', ')}`,
    );
  }

  const allowedOrigins: string[] = [];
  for (const raw of list(e.ALLOWED_ORIGINS)) {
    const origin = parseOrigin(raw);
    if (!origin)
      problems.push(`ALLOWED_ORIGINS: "${raw}" is not an origin like https://shop.example`);
    else allowedOrigins.push(origin);
  }

  let defaultDocumentCountry =
    e.DEFAULT_DOCUMENT_COUNTRY?.trim().toUpperCase() || (sandbox ? 'NO' : undefined);
  if (defaultDocumentCountry && !isDocumentCountryCode(defaultDocumentCountry)) {
    problems.push(
      `DEFAULT_DOCUMENT_COUNTRY: "${e.DEFAULT_DOCUMENT_COUNTRY}" is not an ISO 3166-1 alpha-2 code (e.g. NO, SE, DE) or ${ANY_PASSPORT_COUNTRY} (any passport)`,
    );
    defaultDocumentCountry = undefined;
  }
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS)
    problems.push('HEADERS_TIMEOUT_MS: must not be above REQUEST_TIMEOUT_MS');
  const allowPrivateWebhook = isOn(e.ALLOW_PRIVATE_WEBHOOK);
  if (!sandbox) problems.push(...productionProblems(e, allowedOrigins, allowPrivateWebhook));

  if (Boolean(e.RESULT_WEBHOOK_URL) !== Boolean(e.RESULT_WEBHOOK_SECRET)) {
    problems.push(
      'RESULT_WEBHOOK_SECRET: RESULT_WEBHOOK_URL and RESULT_WEBHOOK_SECRET go together; set both or neither',
    );
  }
  if (e.POLL_MAX_MS < e.POLL_INITIAL_MS)
    problems.push('POLL_MAX_MS: must not be below POLL_INITIAL_MS');
  if (
    !sandbox &&
    e.REDIS_URL &&
    !e.REDIS_URL.toLowerCase().startsWith('rediss://') &&
    !isLoopbackHost(redisUrlHost(e.REDIS_URL)!)
  ) {
    problems.push(
      'REDIS_URL: must be rediss:// (TLS) in real mode (redis:// only on loopback): session records and claims cross the network',
    );
  }
  if (problems.length)
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  const publicUrl = e.PUBLIC_URL ? parseOrigin(e.PUBLIC_URL) : undefined;
  if (publicUrl && !allowedOrigins.includes(publicUrl)) allowedOrigins.push(publicUrl);

  return {
    sandbox,
    sandboxForced,
    startupWarnings,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    signicat: {
      // Under SANDBOX=1 real credentials are not kept around: nothing may use them by mistake.
      clientId: sandbox ? '' : (e.SIGNICAT_CLIENT_ID ?? ''),
      clientSecret: sandbox ? '' : (e.SIGNICAT_CLIENT_SECRET ?? ''),
      apiUrl: e.SIGNICAT_API_URL.replace(/\/+$/, ''),
      tokenUrl: e.SIGNICAT_TOKEN_URL,
      tokenAuth: e.SIGNICAT_TOKEN_AUTH,
      eventsSecret: e.SIGNICAT_EVENTS_SECRET,
      documentCountryFormat: e.SIGNICAT_DOCUMENT_COUNTRY_FORMAT,
    },
    defaultDocumentCountry,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    sessionCreation: e.SESSION_CREATION,
    rateLimit: {
      sessionsPerMinute: e.RATE_LIMIT_SESSIONS_PER_MINUTE,
      sessionsGlobalPerMinute: e.RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE,
      uploadsPerMinute: e.RATE_LIMIT_UPLOADS_PER_MINUTE,
      submitsPerMinute: e.RATE_LIMIT_SUBMITS_PER_MINUTE,
    },
    limits: {
      jsonBodyBytes: e.MAX_JSON_BODY_BYTES,
      uploadsPerClient: e.MAX_CONCURRENT_UPLOADS_PER_CLIENT,
      ssePerSession: e.SSE_MAX_PER_SESSION,
      ssePerClient: e.SSE_MAX_PER_CLIENT,
      sseTotal: e.SSE_MAX_TOTAL,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.MAX_CONNECTIONS,
    },
    allowPrivateWebhook,
    sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    sessionSecretGenerated: !e.SESSION_SECRET,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    handoffTtlSeconds: e.HANDOFF_TTL_SECONDS,
    allowedOrigins,
    proxyApiKey: e.PROXY_API_KEY,
    providers,
    documentTypes: documentTypes as DocumentTypeId[],
    documentTypesCacheSeconds: e.DOCUMENT_TYPES_CACHE_SECONDS,
    maxImageBytes: e.MAX_IMAGE_BYTES,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    upstreamConcurrency: e.MAX_UPSTREAM_CONCURRENCY,
    sessionTokenCacheEntries: e.SESSION_TOKEN_CACHE_ENTRIES,
    poll: {
      initialMs: e.POLL_INITIAL_MS,
      maxMs: e.POLL_MAX_MS,
      giveUpSeconds: e.POLL_GIVE_UP_SECONDS,
    },
    delivery: {
      webhookUrl: e.RESULT_WEBHOOK_URL,
      webhookSecret: e.RESULT_WEBHOOK_SECRET,
      archiveDir: e.RESULT_ARCHIVE_DIR,
      deleteAfterDelivery: ['true', '1', 'yes'].includes(e.DELETE_AFTER_DELIVERY),
      retryBaseMs: e.DELIVERY_RETRY_BASE_MS,
      giveUpSeconds: e.DELIVERY_GIVE_UP_SECONDS,
      orphanGraceSeconds: e.ORPHAN_DOSSIER_GRACE_SECONDS,
    },
    exposeResultFields: list(e.EXPOSE_RESULT_FIELDS),
    emulatorDelayMs: e.EMULATOR_DELAY_MS,
    logLevel: e.LOG_LEVEL,
    ...(e.REDIS_URL && { redisUrl: e.REDIS_URL }),
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

type Env = z.infer<typeof env>;

/**
 * What makes a configuration production-like (README, "Sandbox mode and real mode"): NODE_ENV=production, a
 * PUBLIC_URL or RESULT_WEBHOOK_URL on a non-loopback host, SESSION_SECRET, or either Signicat credential.
 * Names only, never values: the list ends up in an error message.
 */
export function productionSignals(
  e: Pick<
    Env,
    | 'NODE_ENV'
    | 'PUBLIC_URL'
    | 'RESULT_WEBHOOK_URL'
    | 'SESSION_SECRET'
    | 'SIGNICAT_CLIENT_ID'
    | 'SIGNICAT_CLIENT_SECRET'
  >,
): string[] {
  const signals: string[] = [];
  if (e.NODE_ENV === 'production') signals.push('NODE_ENV=production');
  for (const name of ['PUBLIC_URL', 'RESULT_WEBHOOK_URL'] as const) {
    const value = e[name];
    if (value && !isLoopbackHost(new URL(value).hostname))
      signals.push(`${name} is on a non-loopback host`);
  }
  if (e.SESSION_SECRET) signals.push('SESSION_SECRET is set');
  if (e.SIGNICAT_CLIENT_ID) signals.push('SIGNICAT_CLIENT_ID is set');
  if (e.SIGNICAT_CLIENT_SECRET) signals.push('SIGNICAT_CLIENT_SECRET is set');
  return signals;
}

/** Real mode's stricter rules: https off loopback, no private webhook targets, no weak secrets. */
function productionProblems(
  e: Env,
  allowedOrigins: readonly string[],
  allowPrivateWebhook: boolean,
): string[] {
  const problems: string[] = [];
  const plainHttp = (value: string) => {
    const url = new URL(value);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  };
  if (e.PUBLIC_URL && plainHttp(e.PUBLIC_URL))
    problems.push('PUBLIC_URL: must be https:// in real mode (http only on loopback)');
  if (e.RESULT_WEBHOOK_URL) {
    if (plainHttp(e.RESULT_WEBHOOK_URL))
      problems.push(
        'RESULT_WEBHOOK_URL: must be https:// in real mode (http only on loopback): the body carries personal data',
      );
    const target = allowPrivateWebhook
      ? undefined
      : webhookTargetProblem(new URL(e.RESULT_WEBHOOK_URL));
    if (target)
      problems.push(
        `RESULT_WEBHOOK_URL: refused: ${target}; set ALLOW_PRIVATE_WEBHOOK=1 if your receiver really lives there`,
      );
  }
  const insecure = allowedOrigins.filter((origin) => plainHttp(origin));
  if (insecure.length)
    problems.push(
      `ALLOWED_ORIGINS: must be https:// in real mode (http only on loopback): ${insecure.join(', ')}`,
    );
  for (const name of OPERATOR_SECRETS) {
    const value = e[name];
    const weakness = value ? secretWeakness(value) : undefined;
    if (weakness)
      problems.push(
        `${name}: too weak for real mode: it ${weakness} (try: openssl rand -base64 32)`,
      );
  }
  return problems;
}

/** The host of a redis:// or rediss:// URL (brackets of IPv6 removed); undefined for anything else. */
function redisUrlHost(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname)
      return undefined;
    return url.hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/** An assigned ISO 3166-1 alpha-2 code in capitals, or UNIV. */
function isDocumentCountryCode(value: string): boolean {
  return value === ANY_PASSPORT_COUNTRY || (/^[A-Z]{2}$/.test(value) && countries.isValid(value));
}

/** Every variable `loadConfig` reads, with its default and range: the bin's `--help` is generated from it. */
export const CONFIG_VARIABLES = env;
