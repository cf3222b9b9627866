/**
 * Last line of defence for the doctor's output: every secret of the configuration, and the forms it
 * takes on the wire (the Basic credentials of both token forms), is replaced before anything is printed.
 * The checks already never put one into a message; this makes a slip harmless.
 */
import type { Config } from '../config.ts';

const REDACTED = '[redacted]';
/** Shorter strings would redact ordinary words; the config refuses secrets this short anyway. */
const MIN_SECRET_LENGTH = 6;

export type Scrubber = (text: string) => string;

export function secretsOf(config: Config): string[] {
  const { clientId, clientSecret, eventsSecret } = config.signicat;
  const secrets = [
    clientSecret,
    eventsSecret,
    config.sessionSecret,
    config.delivery.webhookSecret,
    config.proxyApiKey,
  ];
  if (clientSecret) {
    const formEncoded = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
    secrets.push(
      formEncoded(clientSecret),
      encodeURIComponent(clientSecret),
      Buffer.from(`${clientId}:${clientSecret}`).toString('base64'),
      Buffer.from(`${formEncoded(clientId)}:${formEncoded(clientSecret)}`).toString('base64'),
      Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
        'base64',
      ),
    );
  }
  return (
    [
      ...new Set(
        secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH),
      ),
    ]
      // Longest first, so a secret inside a longer encoded form does not break that form's match.
      .sort((a, b) => b.length - a.length)
  );
}

export function createScrubber(secrets: readonly string[]): Scrubber {
  return (text) => secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}
