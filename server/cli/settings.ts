/**
 * One line per setting for `signicat-verify-proxy --help`. Names, defaults and ranges come from the
 * config schema itself (server/config.ts); only the meaning is written here, and
 * test/server/package.test.ts fails when a setting has none. The README's configuration table says more.
 */
export const SETTING_HELP: Record<string, string> = {
  PORT: 'port to listen on (0: any free port)',
  HOST: 'interface to listen on',
  PUBLIC_URL:
    "origin browsers and Signicat reach the proxy on; required in real mode (sandbox: the server's own URL)",
  SIGNICAT_CLIENT_ID: 'API client id from the Signicat Dashboard; with the secret: real mode',
  SIGNICAT_CLIENT_SECRET: 'its secret; never logged or sent to the browser',
  SIGNICAT_API_URL: 'Assure API base (paths /assure/... are appended)',
  SIGNICAT_TOKEN_URL: 'OAuth2 token endpoint',
  SIGNICAT_TOKEN_AUTH:
    'HTTP Basic form at the token endpoint: basic (RFC 6749, form-encoded first) or basic-raw',
  SIGNICAT_EVENTS_SECRET:
    'secret of the Signicat Events subscription; unset: /api/signicat/events answers 404',
  SIGNICAT_DOCUMENT_COUNTRY_FORMAT: 'how documentCountry is sent to Signicat',
  DEFAULT_DOCUMENT_COUNTRY:
    'issuing country when a session names none: alpha-2 or UNIV (sandbox: NO)',
  SANDBOX: '1 forces sandbox mode (the Assure API emulator, fake results); 0 demands real mode',
  NODE_ENV: 'production: never fall back to sandbox mode when credentials are missing',
  TRUST_PROXY_HOPS:
    'reverse proxies in front that append to X-Forwarded-For; 0: the socket address is the client',
  SESSION_CREATION: 'backend: only sessions created with PROXY_API_KEY are accepted',
  RATE_LIMIT_SESSIONS_PER_MINUTE: 'session creations per client address per minute (then 429)',
  RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE: 'session creations per minute from all clients together',
  RATE_LIMIT_UPLOADS_PER_MINUTE: 'image uploads per client address per minute',
  RATE_LIMIT_SUBMITS_PER_MINUTE: 'submits per client address per minute',
  MAX_JSON_BODY_BYTES: 'largest JSON body on /api (then 413)',
  MAX_CONCURRENT_UPLOADS_PER_CLIENT: 'uploads one client address may have in flight',
  SSE_MAX_PER_SESSION: 'open event streams per session token',
  SSE_MAX_PER_CLIENT: 'open event streams per client address',
  SSE_MAX_TOTAL: 'open event streams in all',
  REQUEST_TIMEOUT_MS: 'longest time to receive a whole request, upload included (then 408)',
  HEADERS_TIMEOUT_MS: 'longest time to receive request headers (at most REQUEST_TIMEOUT_MS)',
  KEEP_ALIVE_TIMEOUT_MS: 'idle keep-alive connections close after this',
  MAX_CONNECTIONS: 'connections beyond this are refused',
  ALLOW_PRIVATE_WEBHOOK:
    '1: real mode may send webhooks to private, link-local or metadata addresses',
  SESSION_SECRET:
    'at least 32 random characters (openssl rand -base64 32); required in real mode (sandbox: random per start)',
  SESSION_TTL_SECONDS: 'lifetime of a browser session token',
  HANDOFF_TTL_SECONDS:
    'lifetime of a single-use link that continues a capture on a phone (60-3600)',
  ALLOWED_ORIGINS: 'comma-separated origins of the sites that embed the element',
  PROXY_API_KEY:
    'at least 24 characters; lets your backend create sessions (Authorization: Bearer ...)',
  CAPTURE_PROVIDERS: 'providers allowed in capture mode; the first is the default',
  REDIRECT_PROVIDERS: 'providers allowed in redirect mode (hosted capture flow)',
  PROVIDER_SDK_PROVIDERS: 'providers allowed in provider-sdk mode',
  DOCUMENT_TYPES: 'document types users may choose',
  DOCUMENT_TYPES_CACHE_SECONDS: "how long Assure's document-type lists are cached",
  MAX_IMAGE_BYTES: 'largest accepted image upload',
  UPSTREAM_TIMEOUT_MS: 'timeout of every call to Signicat',
  MAX_UPSTREAM_CONCURRENCY:
    'requests bound for Signicat in flight per instance (then 503 overloaded); 0: no cap',
  SESSION_TOKEN_CACHE_ENTRIES:
    'verified session tokens kept in memory to skip decrypting them again; 0: none',
  POLL_INITIAL_MS:
    'first status poll after submit (the fallback for lost callbacks); doubles each time',
  POLL_MAX_MS: 'longest interval between polls',
  POLL_GIVE_UP_SECONDS: 'stop polling a verification after this long',
  RESULT_WEBHOOK_URL: "your backend's endpoint for final results (signed)",
  RESULT_WEBHOOK_SECRET: 'at least 32 characters; HMAC-SHA256 key of the webhook signature',
  RESULT_ARCHIVE_DIR: 'save the Assure zip of each accepted verification here before deletion',
  DELETE_AFTER_DELIVERY: 'delete the dossier at Signicat once the result was delivered',
  DELIVERY_RETRY_BASE_MS:
    'first wait before a failed delivery is tried again (doubling, up to 30 min)',
  DELIVERY_GIVE_UP_SECONDS: "stop retrying a delivery (and its dossier's deletion) after this long",
  ORPHAN_DOSSIER_GRACE_SECONDS:
    "a dossier of this proxy's that never got a process is deleted by the reconciliation after this long",
  EXPOSE_RESULT_FIELDS: 'comma-separated finalResult fields the browser may see; none by default',
  EMULATOR_DELAY_MS: 'sandbox only: time the emulator takes from processing to the final status',
  LOG_LEVEL: 'JSON lines on stdout',
  REDIS_URL:
    'redis:// or rediss:// URL of a Redis shared by several instances; unset: state in memory',
};

/**
 * Never taken as flags: command lines are visible to every local user (`ps`) and land in shell
 * history. REDIS_URL can carry a password.
 */
export const ENVIRONMENT_ONLY: ReadonlySet<string> = new Set([
  'SIGNICAT_CLIENT_SECRET',
  'SESSION_SECRET',
  'RESULT_WEBHOOK_SECRET',
  'PROXY_API_KEY',
  'SIGNICAT_EVENTS_SECRET',
  'REDIS_URL',
]);
