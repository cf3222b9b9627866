/**
 * @module
 * The part of the flow machine (./machine.ts) the first screen needs, in the script-tag entry: the
 * element's lifecycle events (boot, configure, restart, reconnected, retries), the loading and error
 * steps, and what a state implies. Every other step's transitions are in ./machine.ts, loaded lazily
 * with the views after the first screen (steps/late-views.ts) and handed in as `Later`: an event that
 * needs them before they are there is held by the controller (`reduceWith` answers `undefined`). Pure,
 * like the rest of the machine.
 */
import type { ElementErrorCode, SessionStatusResponse, Side } from '../contract/index.js';
import { NO_TRIES, planRetry, READ_RETRIES } from './retry.js';
import { snapshotOf } from './snapshot.js';
import type {
  CapturedImage,
  Effect,
  FlowConfig,
  FlowError,
  FlowEvent,
  FlowState,
  Images,
  LoadCall,
  Message,
  Session,
  Snapshot,
  StateOf,
  Step,
  Transition,
  Work,
} from './types.js';

/** Errors after which the error step offers to try the same session again. */
const RETRY_SAME: ReadonlySet<ElementErrorCode> = new Set([
  'network',
  'server_error',
  'rate_limited',
]);
const KIT_STEPS: ReadonlySet<string> = new Set([
  'country',
  'consent',
  'capture',
  'review',
  'handoff',
  'claiming',
  'phone-done',
]);

export type Out = Effect[];

/**
 * The transitions after the first screen (./machine.ts, loaded lazily). The core hands them every event
 * of the other steps, and the answer of a session read on the loading step.
 */
export interface Later {
  later(s: FlowState, e: FlowEvent, out: Out): FlowState;
  resumed(s: StateOf<'loading'>, call: LoadCall, read: SessionStatusResponse, out: Out): FlowState;
}

/** The state before `boot`. */
export function initialState(cfg: FlowConfig): FlowState {
  return { cfg, cameraBlocked: false, step: 'loading', origin: 'element', tries: NO_TRIES };
}

/**
 * One transition, with the later steps' transitions when they are loaded. `undefined`: the event needs
 * them and `late` is not given (nothing happened; the controller holds the event until they are there).
 */
export function reduceWith(
  late: Later | undefined,
  state: FlowState,
  event: FlowEvent,
): Transition | undefined {
  const effects: Out = [];
  const next = transition(state, event, effects, late);
  if (!next) return undefined;
  const same = next === state && event.type !== 'reconnected'; // coming back re-applies what the state implies
  return { state: next, effects: same ? effects : [...implied(state, next, event), ...effects] };
}

// ---- what a state implies (resources the controller keeps in step with it) ----

/** The status stream the state follows. */
export function watchOf(state: FlowState): string | null {
  if (state.step === 'handoff')
    // The desktop follows the phone's progress while the link is out (and while it cancels it).
    return state.phase === 'ready' || state.phase === 'canceling' ? state.work.session.token : null;
  return state.step === 'waiting' ? state.session.token : null;
}

/** The camera the state shows, if any. */
export function cameraOf(state: FlowState): Extract<Effect, { type: 'camera' }>['want'] {
  if (
    state.step !== 'capture' ||
    state.source !== 'camera' ||
    state.processing ||
    state.work.images[state.side]
  )
    return null;
  return { side: state.side, facing: state.side === 'selfie' ? 'user' : 'environment' };
}

/** Whether the state's view lives in the lazily loaded capture chunk. */
export function needsKit(state: FlowState): boolean {
  return KIT_STEPS.has(state.step);
}

/** Whether the state waits for work it started (buttons are disabled meanwhile). */
export function isBusy(state: FlowState): boolean {
  switch (state.step) {
    case 'loading':
      return true;
    case 'intro':
    case 'country':
    case 'document':
      return !!state.pending;
    case 'capture':
      return state.processing;
    case 'provider':
      return state.submitting;
    case 'canceling':
    case 'claiming':
      return true;
    case 'handoff':
      return state.phase === 'creating' || state.phase === 'canceling';
    default:
      return false;
  }
}

/** Whether a file may stand in for the live camera on this side (the selfie only with `allow-selfie-upload`). */
export function fileAllowed(state: FlowState, side: Side): boolean {
  return side !== 'selfie' || !!state.cfg.allowSelfieUpload;
}

/** Whether this page may offer to continue on a phone: capture mode, and not itself that phone. */
export function handoffAllowed(s: FlowState): boolean {
  return s.cfg.mode === 'capture' && !s.cfg.handoff;
}

function implied(prev: FlowState, next: FlowState, event: FlowEvent): Out {
  const out: Out = [];
  const snapshot = snapshotOf(next);
  if (JSON.stringify(snapshot) !== JSON.stringify(snapshotOf(prev)))
    out.push({ type: 'persist', snapshot });
  const reconnected = event.type === 'reconnected';
  if (watchOf(next) !== watchOf(prev) || (reconnected && watchOf(next)))
    out.push({ type: 'watch', token: watchOf(next) });
  const camera = cameraOf(next);
  if (JSON.stringify(camera) !== JSON.stringify(cameraOf(prev)))
    out.push({ type: 'camera', want: camera });
  if (needsKit(next) && (!needsKit(prev) || reconnected))
    out.push({ type: 'load-kit', required: true });
  return out;
}

// ---- building blocks ----

/** A new step; the fields every state carries come along, a pending 429 wait does not. */
export function to(s: FlowState, next: Step): FlowState {
  return {
    cfg: s.cfg,
    cameraBlocked: s.cameraBlocked,
    ...(s.completed && { completed: s.completed }),
    ...next,
  };
}

export function emit(out: Out, event: Extract<Effect, { type: 'emit' }>['event']): void {
  out.push({ type: 'emit', event });
}

export function announce(out: Out, message: Message): void {
  out.push({ type: 'announce', message });
}

export function emitError(
  out: Out,
  code: ElementErrorCode,
  message: string,
  recoverable: boolean,
): void {
  emit(out, { name: 'error', detail: { code, message, recoverable } });
}

export const seconds = (ms: number) => Math.ceil(ms / 1000);

export function release(out: Out, images: Images | undefined): void {
  const list = Object.values(images ?? {}).filter((image): image is CapturedImage => !!image);
  if (list.length) out.push({ type: 'release', images: list });
}

/** The images a state holds. */
export function imagesOf(s: FlowState): Images | undefined {
  return 'work' in s
    ? s.work.images
    : s.step === 'error' || s.step === 'loading'
      ? s.images
      : undefined;
}

/** The session a state works in. */
export function sessionOf(s: FlowState): Session | undefined {
  if ('work' in s) return s.work.session;
  if (s.step === 'loading')
    return s.session ?? (s.call && { ...bareSession(s.call.token, s), origin: s.origin });
  return 'session' in s ? s.session : undefined;
}

function bareSession(token: string, s: FlowState): Session {
  return {
    token,
    origin: 'element',
    mode: s.cfg.mode,
    sides: [],
    uploaded: [],
    consentRequired: false,
    consentGiven: false,
  };
}

/** The flow cannot go on: the error step, the event, and the session kept only when it can be retried. */
export function fail(s: FlowState, out: Out, error: FlowError, session = sessionOf(s)): FlowState {
  const recoverable = !!session && RETRY_SAME.has(error.code);
  // The integrator needs this one (e.g. ALLOWED_ORIGINS); the user only sees "not set up correctly".
  if (error.code === 'invalid_config')
    out.push({ type: 'log', level: 'warn', message: error.message });
  out.push({ type: 'abort' });
  announce(out, { key: 'error', code: error.code });
  emitError(out, error.code, error.message, recoverable);
  const hostRestart = error.code === 'session_expired' && session?.origin === 'host';
  if (hostRestart) {
    // Only the integrator's backend can make a session that keeps its reference: ask the host page.
    emit(out, {
      name: 'restart-requested',
      detail: { reason: 'session_expired', session: session.token },
    });
  }
  const images = imagesOf(s);
  if (!recoverable) release(out, images);
  return to(s, {
    step: 'error',
    code: error.code,
    recoverable,
    ...(recoverable && { session, kept: snapshotOf(s) ?? undefined, ...(images && { images }) }),
    ...(hostRestart && { hostRestart }),
  });
}

/** The next upload (a held image the proxy lacks), else submit. */
export function uploadCall(work: Work): Effect {
  const { session, images } = work;
  const side = session.sides.find((s) => images[s] && !session.uploaded.includes(s));
  if (!side) return { type: 'submit', token: session.token };
  // The consent goes with the first upload only: that one creates the process at Signicat.
  const consent = session.consentRequired && session.consentGiven && !session.uploaded.length;
  return { type: 'upload', token: session.token, side, image: images[side]!.blob, consent };
}

export function loadingCall(call: LoadCall): Effect {
  return call.type === 'return'
    ? { type: 'return', token: call.token, params: call.params }
    : { type: 'read-session', token: call.token };
}

/** A 429 retry: the polite "busy" line, then `retry-due`. */
export function waitAndRetry(
  s: FlowState,
  out: Out,
  next: FlowState,
  retry: NonNullable<ReturnType<typeof planRetry>>,
): FlowState {
  out.push({ type: 'retry-in', ms: retry.wait.waitMs });
  if (retry.wait.reason === 'rate_limited') {
    announce(out, { key: 'busyRetrying', seconds: seconds(retry.wait.waitMs) });
    return { ...next, wait: retry.wait };
  }
  return next;
}

// ---- the transitions ----

function transition(
  s: FlowState,
  e: FlowEvent,
  out: Out,
  late: Later | undefined,
): FlowState | undefined {
  switch (e.type) {
    case 'boot':
      return boot(s, e, out);
    case 'configure':
      return { ...s, cfg: e.cfg };
    case 'restart':
      out.push({ type: 'abort' });
      release(out, imagesOf(s));
      // The phone of a hand-off cannot start a verification of its own: it claims its link again.
      if (s.cfg.handoff) {
        out.push({ type: 'claim-handoff', code: s.cfg.handoff });
        return {
          cfg: s.cfg,
          cameraBlocked: s.cameraBlocked,
          step: 'claiming',
          code: s.cfg.handoff,
          tries: NO_TRIES,
        };
      }
      return { cfg: s.cfg, cameraBlocked: s.cameraBlocked, step: 'intro', tries: NO_TRIES };
    case 'reconnected':
    case 'retry-due':
      return reissue(s, out, e.type === 'reconnected');
    case 'kit-failed':
      return needsKit(s)
        ? fail(s, out, {
            code: 'network',
            message: 'The capture module could not be loaded.',
            retryable: true,
          })
        : s;
    case 'late-failed':
      return fail(s, out, {
        code: 'network',
        message: 'The next step could not be loaded.',
        retryable: true,
      });
    case 'provider-failed': {
      if (s.cfg.mode !== 'provider-sdk' || !sessionOf(s)) return s;
      const failed = fail(s, out, {
        code: 'provider_failed',
        message: e.reason || 'The provider SDK reported a failure.',
        retryable: false,
      });
      // The host page's words reach the screen (capped: it is shown as plain text).
      const reason = e.reason?.trim().slice(0, 300);
      return reason ? ({ ...failed, reason } as FlowState) : failed;
    }
  }
  if (s.step === 'loading') return loading(s, e, out, late);
  if (s.step === 'error') return error(s, e, out, late);
  // Every other step (and Back and Cancel, which these two ignore) is the later part's.
  return late?.later(s, e, out);
}

function boot(s: FlowState, e: Extract<FlowEvent, { type: 'boot' }>, out: Out): FlowState {
  out.push({ type: 'abort' });
  release(out, imagesOf(s));
  const { cfg, stored } = e;
  const base: FlowState = {
    cfg,
    cameraBlocked: s.cameraBlocked,
    ...(s.completed && { completed: s.completed }),
    ...intro(),
  };
  const matches = (token: string) =>
    !!stored && (stored.session === token || stored.initial === token);
  const load = (
    call: LoadCall,
    origin: Session['origin'],
    kept: Snapshot | undefined,
  ): FlowState => {
    out.push(loadingCall(call));
    return to(base, {
      step: 'loading',
      call,
      origin,
      tries: NO_TRIES,
      ...(kept && { stored: kept }),
    });
  };
  if (cfg.handoff && cfg.mode === 'capture') {
    // A phone page from a hand-off link: resume its own session after a reload, else claim the link.
    if (stored) return load({ type: 'read-session', token: stored.session }, 'host', stored);
    out.push({ type: 'claim-handoff', code: cfg.handoff });
    return to(base, { step: 'claiming', code: cfg.handoff, tries: NO_TRIES });
  }
  const r = cfg.mode === 'redirect' ? e.returned : undefined;
  // `status` alone is a common query parameter: it counts only when this page sent the user away.
  if (r && (r.dossierId || r.processId || (r.status && stored?.step === 'redirect'))) {
    if (cfg.session) {
      const same = matches(cfg.session);
      return load(
        { type: 'return', token: same ? stored!.session : cfg.session, params: r },
        'host',
        same ? stored : undefined,
      );
    }
    if (stored)
      return load(
        { type: 'return', token: stored.session, params: r },
        stored.origin ?? 'element',
        stored,
      );
  }
  if (cfg.session) {
    // After an upload the stored token is the proxy's refreshed one; `initial` says it is still this session.
    const same = matches(cfg.session);
    return load(
      { type: 'read-session', token: same ? stored!.session : cfg.session },
      'host',
      same ? stored : undefined,
    );
  }
  if (stored)
    return load(
      { type: 'read-session', token: stored.session },
      stored.origin ?? 'element',
      stored,
    );
  return base;
}

export const intro = (): Step => ({ step: 'intro', tries: NO_TRIES });

function loading(
  s: StateOf<'loading'>,
  e: FlowEvent,
  out: Out,
  late: Later | undefined,
): FlowState | undefined {
  const call = s.call;
  if (!call) return s;
  if (e.type === 'read-ok') {
    if (call.type === 'return') out.push({ type: 'clean-address' });
    return late?.resumed(s, call, e.state, out);
  }
  if (e.type !== 'read-failed') return s;
  const retry = planRetry(e.error, s.tries, READ_RETRIES, s.cfg.timing);
  if (retry) return waitAndRetry(s, out, { ...s, tries: retry.tries }, retry);
  // The parameters served their purpose; keep them out of bookmarks, shares and the back button.
  if (call.type === 'return') out.push({ type: 'clean-address' });
  if (
    e.error.code === 'session_expired' &&
    call.type === 'read-session' &&
    s.origin === 'element' &&
    !s.session?.input
  ) {
    // A stored token the proxy no longer knows (expired, tampered, another proxy): start afresh, quietly.
    release(out, s.images);
    return to(s, intro());
  }
  return fail(s, out, e.error);
}

/** The read of what to ask before the session: the proxy's config, or Assure's document types. */
export function setupRead(s: FlowState, what: 'config' | 'types'): Effect {
  const provider = s.cfg.provider;
  return {
    type: what === 'config' ? 'read-config' : 'read-document-types',
    ...(provider && { provider }),
  };
}

function error(
  s: StateOf<'error'>,
  e: FlowEvent,
  out: Out,
  late: Later | undefined,
): FlowState | undefined {
  if (e.type !== 'error-action') return s;
  if (s.recoverable && s.session) {
    const call: LoadCall = { type: 'read-session', token: s.session.token };
    out.push(loadingCall(call));
    const { session, kept, images } = s;
    return to(s, {
      step: 'loading',
      call,
      origin: session.origin,
      session,
      tries: NO_TRIES,
      ...(kept && { stored: kept }),
      ...(images && { images }),
    });
  }
  if (s.hostRestart) return s; // only the host page can go on: it mints a new session and sets `session`
  return transition(s, { type: 'restart' }, out, late);
}

/**
 * The call the state waits for, issued again: after a 429 wait (`retry-due`), or when the element comes
 * back into the document (`reconnected`: its calls were aborted and its camera stopped on the way out).
 */
function reissue(s: FlowState, out: Out, reconnect: boolean): FlowState {
  const next = s.wait ? ({ ...s, wait: undefined } as FlowState) : s;
  switch (s.step) {
    case 'loading':
      if (s.call) out.push(loadingCall(s.call));
      return next;
    case 'intro':
    case 'country':
    case 'document':
      if (s.pending === 'config' || s.pending === 'types') {
        out.push(setupRead(s, s.pending));
        return next;
      }
      // A session creation is not repeated by itself: the user's button does that.
      return reconnect && s.pending ? ({ ...next, pending: undefined } as FlowState) : next;
    case 'capture':
      return reconnect ? ({ ...next, cameraReady: false } as FlowState) : next;
    case 'upload':
      if (s.phase === 'failed') return next;
      out.push(
        s.renew ? { type: 'create-session', input: s.work.session.input! } : uploadCall(s.work),
      );
      return { ...next, phase: 'running' } as FlowState;
    case 'provider':
      if (s.submitting) out.push({ type: 'submit', token: s.session.token });
      return next;
    case 'canceling':
      out.push({ type: 'cancel-session', token: s.session.token, wait: true });
      return next;
    case 'claiming':
      out.push({ type: 'claim-handoff', code: s.code });
      return next;
    default:
      return next;
  }
}
