/** Checks that need no Signicat call: PUBLIC_URL reachable from this machine, and the events secret. */
import type { Config } from '../config.ts';
import { PROCESS_COMPLETE_EVENT } from '../events/signature.ts';
import type { CheckResult } from './types.ts';

export async function checkPublicUrl(
  publicUrl: string,
  options: { fetch: typeof fetch; timeoutMs: number },
): Promise<CheckResult> {
  const id = 'public-url';
  const title = 'PUBLIC_URL reachable';
  const target = `${publicUrl}/healthz`;
  const startHint = `Start the server (npm start) with this configuration and make PUBLIC_URL the origin browsers and Signicat reach it on (Signicat's redirects, callbacks and events go there).`;
  try {
    const response = await options.fetch(target, {
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'manual',
    });
    const body = await response.text().catch(() => '');
    if (response.status === 200 && /"ok"\s*:\s*true/.test(body))
      return { id, title, status: 'pass', detail: `GET ${target} answered 200` };
    return {
      id,
      title,
      status: 'fail',
      detail: `GET ${target} answered HTTP ${response.status}${response.status === 200 ? ' but not this server\'s {"ok":true}' : ''}`,
      fix: `PUBLIC_URL must lead to this server: route ${publicUrl}/healthz and /api/ through your reverse proxy to it. ${startHint}`,
    };
  } catch (error) {
    const timeout =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    return {
      id,
      title,
      status: 'fail',
      detail: timeout
        ? `GET ${target} did not answer within ${options.timeoutMs} ms`
        : `GET ${target} failed${typeof cause === 'string' ? ` (${cause})` : ''}`,
      fix: `${startHint} Check DNS, TLS certificate and firewall for ${new URL(publicUrl).host}.`,
    };
  }
}

export function checkEventsSecret(config: Config, publicUrl: string): CheckResult {
  const id = 'events-secret';
  const title = 'Signicat Events secret';
  const receiver = `${publicUrl}/api/signicat/events`;
  if (config.signicat.eventsSecret) {
    return {
      id,
      title,
      status: 'pass',
      detail: `SIGNICAT_EVENTS_SECRET is set: the receiver at ${receiver} is on`,
    };
  }
  return {
    id,
    title,
    status: 'warn',
    detail: `SIGNICAT_EVENTS_SECRET is not set: results arrive by polling only (up to ${Math.round(config.poll.maxMs / 1000)} s late)`,
    fix: `In the Signicat Dashboard, subscribe to Assure Events (${PROCESS_COMPLETE_EVENT}) with the URL ${receiver} and a secret, then set SIGNICAT_EVENTS_SECRET to that secret.`,
  };
}
