/**
 * `npm run doctor` as a library: `runDoctor(config)` checks first contact with Signicat and returns a
 * report; `formatDoctor`/`doctorJson` print it with every configured secret scrubbed (docs/doctor.md).
 */
export { runDoctor, SANDBOX_NOTE, type DoctorOptions } from './run.ts';
export { doctorJson, formatDoctor } from './format.ts';
export { createScrubber, secretsOf, type Scrubber } from './scrub.ts';
export { DOCTOR_REFERENCE } from './assure-checks.ts';
export type { CheckResult, CheckStatus, DoctorReport, TokenAuthForm } from './types.ts';
