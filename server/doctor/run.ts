/**
 * `npm run doctor` as a library: every first-contact check against Signicat, in order, with the
 * configuration the server itself uses. Checks never throw; each becomes a pass, warn, fail or skip.
 */
import { createAssureClient } from '../assure/client.ts';
import type { AssureClient } from '../assure/types.ts';
import type { Config } from '../config.ts';
import {
  checkCaptureFlow,
  checkDocumentCountry,
  checkDocumentTypes,
  checkDossier,
} from './assure-checks.ts';
import { checkEventsSecret, checkPublicUrl } from './reachability.ts';
import { checkToken } from './token.ts';
import type { CheckResult, DoctorReport } from './types.ts';

export interface DoctorOptions {
  /** For tests and recordings. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Timeout of each Signicat request. @default the configuration's UPSTREAM_TIMEOUT_MS, at most 10 s */
  timeoutMs?: number;
  /** Timeout of the PUBLIC_URL request. @default 3000 */
  publicUrlTimeoutMs?: number;
}

export const SANDBOX_NOTE =
  'No Signicat credentials: this is sandbox mode, and npm run doctor is for real credentials. Set SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET (with SESSION_SECRET and PUBLIC_URL) and run it again. To rehearse against the Assure API emulator instead, also set SIGNICAT_API_URL and SIGNICAT_TOKEN_URL to a running emulator and use credentials it knows.';

export async function runDoctor(
  config: Config,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  if (config.sandbox) {
    return {
      mode: 'sandbox',
      ok: true,
      tokenAuthAccepted: [],
      checks: [{ id: 'mode', title: 'Mode', status: 'skip', detail: SANDBOX_NOTE }],
    };
  }
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? Math.min(config.upstreamTimeoutMs, 10_000);
  // Real mode always has PUBLIC_URL (loadConfig requires it); the fallback only serves odd library use.
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const checks: CheckResult[] = [];

  const token = await checkToken(config, { fetch: fetchImpl, timeoutMs });
  checks.push(token.result);
  const working = token.accepted[0];
  let assure: AssureClient | undefined;
  if (working) {
    try {
      // The rest runs with the form that worked, so one run reports everything else too.
      assure = createAssureClient({
        apiUrl: config.signicat.apiUrl,
        tokenUrl: config.signicat.tokenUrl,
        clientId: config.signicat.clientId,
        clientSecret: config.signicat.clientSecret,
        tokenAuth: working,
        timeoutMs,
        fetch: fetchImpl,
        retry: { attempts: 1 },
      });
    } catch (error) {
      // A URL the client refuses (plain http to a remote host); the message names the option only.
      const detail =
        error instanceof TypeError
          ? error.message.replace(/^apiUrl/, 'SIGNICAT_API_URL')
          : 'the Assure client could not be created';
      checks.push({
        id: 'api-url',
        title: 'Assure API URL',
        status: 'fail',
        detail,
        fix: 'Set SIGNICAT_API_URL to https://api.signicat.com (or unset it).',
      });
    }
  }
  if (assure) {
    const client = assure;
    checks.push(
      ...(await guarded('document-types', 'Document types', () =>
        checkDocumentTypes(config, client),
      )),
    );
    checks.push(
      ...(await guarded('dossier', 'Create and delete a dossier', async () => [
        await checkDossier(client),
      ])),
    );
    checks.push(
      ...(await guarded('document-country', 'Signicat Paper documentCountry form', async () => [
        await checkDocumentCountry(config, client),
      ])),
    );
    checks.push(
      ...(await guarded('capture-flow', 'Capture-flow URL (redirect mode)', async () => [
        await checkCaptureFlow(config, client, publicUrl),
      ])),
    );
  } else {
    for (const [id, title] of [
      ['document-types', 'Document types'],
      ['dossier', 'Create and delete a dossier'],
      ['document-country', 'Signicat Paper documentCountry form'],
      ['capture-flow', 'Capture-flow URL (redirect mode)'],
    ] as const) {
      checks.push({
        id,
        title,
        status: 'skip',
        detail: working
          ? 'needs a usable SIGNICAT_API_URL'
          : 'needs a token: fix the token request first',
      });
    }
  }
  checks.push(
    await checkPublicUrl(publicUrl, {
      fetch: fetchImpl,
      timeoutMs: options.publicUrlTimeoutMs ?? 3000,
    }),
  );
  checks.push(checkEventsSecret(config, publicUrl));
  return {
    mode: 'real',
    ok: checks.every((c) => c.status !== 'fail'),
    tokenAuthAccepted: token.accepted,
    checks,
  };
}

/** A check that throws (a bug, not a finding) still ends as one failed row, and the others still run. */
async function guarded(
  id: string,
  title: string,
  run: () => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  try {
    return await run();
  } catch (error) {
    const detail = `the check itself failed (${error instanceof Error ? error.name : 'error'})`;
    return [
      {
        id,
        title,
        status: 'fail',
        detail,
        fix: 'Run the doctor again; if this persists, report it with the output of npm run doctor -- --json.',
      },
    ];
  }
}
