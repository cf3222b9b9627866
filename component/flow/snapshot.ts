/**
 * @module
 * What survives a reload, derived from the flow state by one function ({@link snapshotOf}): the session
 * token and where the flow stood. Never images, never provider tokens, never the issuing country.
 */
import { MODES, SIDES, type Side } from '../contract/index.js';
import type { FlowState, Session, Snapshot } from './types.js';

const STEPS: ReadonlySet<string> = new Set([
  'capture',
  'upload',
  'waiting',
  'redirect',
  'provider',
  'outcome',
]);

function of(session: Session, step: Snapshot['step']): Snapshot {
  return {
    v: 1,
    session: session.token,
    mode: session.mode,
    step,
    ...(session.documentType && { documentType: session.documentType }),
    images: { required: session.sides, optional: [] },
    uploaded: session.uploaded,
    ...(session.initial && { initial: session.initial }),
    ...(session.consentRequired && { consentRequired: true }),
    ...(session.origin === 'host' && { origin: 'host' as const }),
  };
}

/** The snapshot a state implies; `null` when nothing should be kept. */
export function snapshotOf(state: FlowState): Snapshot | null {
  switch (state.step) {
    case 'loading':
      return state.stored ?? null; // being resumed: keep it as it is until the answer
    case 'consent':
    case 'capture':
    case 'review':
    case 'handoff': // a reload while the phone captures: the desktop resumes the same session
      return of(state.work.session, 'capture');
    case 'upload':
      return of(state.work.session, 'upload');
    case 'waiting':
      return of(state.session, 'waiting');
    case 'outcome':
      return of(state.session, 'outcome');
    case 'redirecting':
      return of(state.session, 'redirect');
    case 'provider':
      return of(state.session, 'provider');
    case 'error':
      return state.kept ?? null;
    default:
      return null; // intro, country, document: no session worth resuming
  }
}

const sides = (value: unknown): Side[] | undefined =>
  Array.isArray(value) && value.every((s) => (SIDES as readonly unknown[]).includes(s))
    ? (value as Side[])
    : undefined;

/** A stored value checked field by field; `undefined` when it is not a snapshot this version wrote. */
export function parseSnapshot(value: unknown): Snapshot | undefined {
  const data = value as Partial<Snapshot> | null;
  if (!data || data.v !== 1 || typeof data.session !== 'string' || !data.session) return undefined;
  if (!(MODES as readonly unknown[]).includes(data.mode) || !STEPS.has(data.step as string))
    return undefined;
  const required = sides(data.images?.required);
  return {
    v: 1,
    session: data.session,
    mode: data.mode!,
    step: data.step!,
    ...(typeof data.documentType === 'string' && { documentType: data.documentType }),
    ...(required && { images: { required, optional: sides(data.images?.optional) ?? [] } }),
    uploaded: sides(data.uploaded) ?? [],
    ...(typeof data.initial === 'string' && { initial: data.initial }),
    ...(data.consentRequired === true && { consentRequired: true }),
    ...(data.origin === 'host' && { origin: 'host' as const }),
  };
}
