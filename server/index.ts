/** Process entry for `npm start`: read configuration, start, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';
import { StoreUnavailableError } from './state/unavailable.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`signicat-verify: ${error.message}\nSee README.md, "Configuration".`);
    process.exit(1);
  }
  throw error;
}

if (config.sandboxForced) {
  // Loud on purpose, whatever LOG_LEVEL says: a forced sandbox in production hands out fake results.
  console.error(
    [
      '**********************************************************************',
      '* SANDBOX=1: sandbox mode forced. Results are FAKE (webhooks carry   *',
      '* "sandbox": true) and /emulator/control is open to every client.    *',
      '* Never run this in production.                                      *',
      '**********************************************************************',
    ].join('\n'),
  );
}

let server;
try {
  server = await startServer(config);
} catch (error) {
  if (error instanceof StoreUnavailableError) {
    console.error(
      `signicat-verify: ${error.message}\nCheck REDIS_URL and that Redis is running (docs/scale-out.md).`,
    );
    process.exit(1);
  }
  throw error;
}
// Handlers first: whoever reads the start line may signal at once (stdout to a pipe is synchronous).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
console.log(
  `signicat-verify ${config.sandbox ? 'sandbox' : 'real'} mode: open ${server.url}/` +
    (config.sandbox
      ? ' (Assure API emulator at /emulator; set SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET for real mode)'
      : ''),
);
