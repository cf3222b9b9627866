/** What `npm run doctor` reports: one result per check, each failure or warning with its fix. */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable id for machines (`token`, `document-types:onfido`, `public-url`, …). */
  id: string;
  /** Short human name. */
  title: string;
  status: CheckStatus;
  /** What was found. Never a secret, token, authorization value or capture URL path. */
  detail: string;
  /** What to change, for `fail` and `warn`. */
  fix?: string;
}

export type TokenAuthForm = 'basic' | 'basic-raw';

export interface DoctorReport {
  mode: 'real' | 'sandbox';
  /** False when any check failed (warnings do not count). */
  ok: boolean;
  /** Token client-authentication forms Signicat accepted (empty when none did or none was tried). */
  tokenAuthAccepted: TokenAuthForm[];
  checks: CheckResult[];
}
