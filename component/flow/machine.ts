/**
 * @module
 * The element's flow as one pure function: `reduce(state, event) → { state, effects }`. Every user
 * action, host call and result arrives as an event; every call, timer, camera change, stored snapshot
 * and host event leaves as an effect for `flow-controller.ts` to run. Nothing here touches the DOM, so
 * the whole flow is tested in Node (test/component-node/). The behaviour is docs/element.md's.
 *
 * Two files, for the script-tag build's first screen: ./machine-core.ts (lifecycle, loading and error
 * steps, what a state implies) is in the entry; this module, every step from the intro's Start on, is
 * loaded lazily with the later views (steps/late-views.ts). `reduce` is the two together.
 */
import {
  ANY_PASSPORT_COUNTRY,
  HANDOFF_CLAIM_ERRORS,
  isDocumentKind,
  isFinalStatus,
  requiredSides,
  SIDES,
  type ClientConfigResponse,
  type CreateSessionResponse,
  type DocumentKind,
  type DocumentTypeEntry,
  type FinalStatus,
  type ImageRequirements,
  type SessionStatusResponse,
  type Side,
  type Status,
} from '../contract/index.js';
import { planDocumentChoice, type DocumentChoice } from '../document-choice.js';
import {
  announce,
  cameraOf,
  emit,
  emitError,
  fail,
  fileAllowed,
  handoffAllowed,
  imagesOf,
  intro,
  isBusy,
  reduceWith,
  release,
  seconds,
  sessionOf,
  setupRead,
  to,
  uploadCall,
  waitAndRetry,
  type Later,
  type Out,
} from './machine-core.js';
import { NO_TRIES, planRetry, READ_RETRIES, UPLOAD_RETRIES } from './retry.js';
import type {
  CapturedImage,
  CreateInput,
  FlowError,
  FlowEvent,
  FlowState,
  LoadCall,
  Session,
  StateOf,
  Transition,
  Work,
} from './types.js';

export * from './machine-core.js';

/** The one transition function: the first screen's part with this one. */
export function reduce(state: FlowState, event: FlowEvent): Transition {
  return reduceWith(LATER, state, event)!;
}

/** Every step the first screen's part (./machine-core.ts) does not handle itself. */
export function later(s: FlowState, e: FlowEvent, out: Out): FlowState {
  switch (e.type) {
    case 'back':
      return back(s, out);
    case 'cancel':
      return cancel(s, out);
  }
  switch (s.step) {
    case 'intro':
    case 'country':
    case 'document':
      return setup(s, e, out);
    case 'consent':
      return consent(s, e, out);
    case 'capture':
      return capture(s, e, out);
    case 'review':
      if (e.type === 'retake-side') return retakeSide(s, e.side, out);
      if (e.type === 'submit') return startUpload(s, out, s.work);
      return s;
    case 'upload':
      return upload(s, e, out);
    case 'waiting':
      if (e.type === 'status') return afterStatus(s, out, s.session, e.status, e.final);
      if (e.type === 'status-failed') return fail(s, out, e.error);
      return s;
    case 'provider':
      return provider(s, e, out);
    case 'canceling':
      return canceling(s, e, out);
    case 'handoff':
      return handoff(s, e, out);
    case 'claiming':
      return claiming(s, e, out);
    default:
      return s; // redirecting, outcome, phone-done: only restart and boot move on
  }
}

const LATER: Later = { later, resumed };

const uniq = <T>(items: T[]): T[] => [...new Set(items)];

/** Whether the state offers Cancel: a session exists and was not submitted yet. */
export function canCancel(state: FlowState): boolean {
  switch (state.step) {
    case 'intro':
      return !!state.session && !state.pending;
    case 'consent':
    case 'capture':
    case 'review':
    case 'upload':
      return true;
    case 'provider':
      return !state.submitting;
    default:
      return false;
  }
}

/** Whether the state offers Back (every step before submit but the intro). */
export function canGoBack(state: FlowState): boolean {
  return back(state, []) !== state;
}

/** The sides to capture, in order: as the proxy says, else its rule for the document type. */
function sidesOf(
  images: ImageRequirements | undefined,
  documentType: string | null | undefined,
): Side[] {
  if (images)
    return SIDES.filter((side) => images.required.includes(side) || images.optional.includes(side));
  return requiredSides('capture', isDocumentKind(documentType) ? documentType : undefined);
}

/** Reports a new status to the host page (once per change). */
function noteStatus(out: Out, session: Session, status: Status, final: boolean): Session {
  if (session.status === status) return session;
  announce(out, { key: 'status', status });
  emit(out, { name: 'status', detail: { status, final: final || isFinalStatus(status) } });
  return { ...session, status };
}

function toOutcome(s: FlowState, out: Out, session: Session, status: Status): FlowState {
  release(out, imagesOf(s));
  const final: FinalStatus = isFinalStatus(status) ? status : 'failed';
  if (s.completed !== session.token)
    emit(out, { name: 'complete', detail: { status: final, session: session.token } });
  return { ...to(s, { step: 'outcome', session, status: final }), completed: session.token };
}

/** A status learnt from a call: the outcome when final, else waiting. */
function afterStatus(
  s: FlowState,
  out: Out,
  session: Session,
  status: Status,
  final: boolean,
): FlowState {
  const noted = noteStatus(out, session, status, final);
  // The phone of a hand-off stops here: the desktop shows the outcome.
  if (s.cfg.handoff) return phoneDone(s, out);
  if (final || isFinalStatus(status)) return toOutcome(s, out, noted, status);
  return to(s, { step: 'waiting', session: noted, status });
}

const defaultSource = (s: FlowState) => (s.cameraBlocked ? 'picker' : 'camera');

/** Capture begins: the provider's consent first when it is still to be asked, then the first missing side. */
function beginCapture(s: FlowState, out: Out, work: Work): FlowState {
  const { session } = work;
  if (session.consentRequired && !session.consentGiven && !session.uploaded.length)
    return to(s, { step: 'consent', work });
  return nextSide(s, out, work);
}

/** The first side still missing, else review, else (everything is at the proxy already) submit. */
function nextSide(s: FlowState, out: Out, work: Work): FlowState {
  const { sides, uploaded } = work.session;
  const missing = sides.find((side) => !work.images[side] && !uploaded.includes(side));
  if (missing) {
    const keep = s.step === 'capture' && !s.cameraBlocked && fileAllowed(s, missing);
    const source = keep ? s.source : defaultSource(s);
    return to(s, {
      step: 'capture',
      work,
      side: missing,
      source,
      processing: false,
      cameraReady: false,
    });
  }
  if (Object.keys(work.images).length) return to(s, { step: 'review', work });
  return startUpload(s, out, work);
}

function startUpload(s: FlowState, out: Out, work: Work): FlowState {
  announce(out, { key: 'uploadHeading' });
  out.push(uploadCall(work));
  return to(s, {
    step: 'upload',
    work,
    phase: 'running',
    attempt: 0,
    tries: NO_TRIES,
    progress: {},
  });
}

function createInput(s: FlowState, documentType?: string, country?: string): CreateInput {
  const { mode, provider } = s.cfg;
  return {
    mode,
    ...(provider && { provider }),
    // Unchecked on purpose: the proxy refuses an unknown type with a clear invalid_config.
    ...(documentType && { documentType: documentType as DocumentKind }),
    ...(mode === 'capture' && country && { documentCountry: country }),
  };
}

function adopt(created: CreateSessionResponse, input: CreateInput): Session {
  const documentType = created.documentType ?? input.documentType;
  return {
    token: created.session,
    origin: 'element',
    mode: created.mode ?? input.mode ?? 'capture',
    ...(documentType && { documentType }),
    sides: sidesOf(created.images, documentType),
    uploaded: [],
    consentRequired: created.consentRequired === true,
    consentGiven: false,
    input,
  };
}

/** A session read (or a return checked) on boot or after "Try again": where the flow goes on. */
export function resumed(
  s: StateOf<'loading'>,
  call: LoadCall,
  read: SessionStatusResponse,
  out: Out,
): FlowState {
  const stored = s.stored;
  const known = s.session;
  const documentType =
    read.documentType ?? known?.documentType ?? stored?.documentType ?? s.cfg.documentType;
  const initial = known?.initial ?? (stored?.session === call.token ? stored.initial : undefined);
  let session: Session = {
    ...known,
    token: call.token,
    ...(initial && { initial }),
    origin: s.origin,
    mode: s.cfg.mode,
    ...(documentType && { documentType }),
    sides: sidesOf(read.images ?? stored?.images, documentType),
    uploaded: uniq([
      ...(known?.uploaded ?? []),
      ...(stored?.uploaded ?? []),
      ...(read.images?.uploaded ?? []),
    ]),
    consentRequired:
      read.consentRequired ?? known?.consentRequired ?? stored?.consentRequired ?? false,
    consentGiven: known?.consentGiven ?? false,
  };
  session = noteStatus(out, session, read.status, read.final);
  if (read.final || isFinalStatus(read.status)) return toOutcome(s, out, session, read.status);
  if (call.type === 'return' || read.status === 'processing' || stored?.step === 'waiting') {
    return to(s, { step: 'waiting', session, status: read.status });
  }
  if (s.cfg.mode === 'capture') {
    const work = { session, images: s.images ?? {} };
    if (stored?.step === 'capture' || stored?.step === 'upload') {
      const next = beginCapture(s, out, work);
      // Photos are never stored: after a reload, say so where capture goes on.
      if (next.step !== 'capture' || s.images) return next;
      const notice = { key: 'photosNotKept', side: next.side } as const;
      announce(out, notice);
      return { ...next, notice };
    }
    return to(s, { step: 'intro', session, tries: NO_TRIES });
  }
  // The integrator's backend created this session and holds the provider token: wait for the host.
  if (s.cfg.mode === 'provider-sdk' && session.origin === 'host') {
    return to(s, { step: 'provider', session, submitting: false, tries: NO_TRIES });
  }
  // A pending redirect or provider-sdk session after a reload: the hosted flow was left without an answer,
  // or the provider token (never stored) is gone. A fresh session is the only way on.
  return to(s, intro());
}

type SetupState = StateOf<'intro'> | StateOf<'country'> | StateOf<'document'>;

/** Intro, issuing country and document type: everything before the session exists. */
function setup(s: SetupState, e: FlowEvent, out: Out): FlowState {
  switch (e.type) {
    case 'start':
      return s.step === 'intro' && !s.pending ? start(s, out) : s;
    case 'config-read':
    case 'config-failed':
      if (s.step !== 'intro' || s.pending !== 'config') return s;
      return configRead(
        s,
        e.type === 'config-read' ? e.config : undefined,
        e.type === 'config-failed' ? e.error : undefined,
        out,
      );
    case 'types-read':
    case 'types-failed':
      if (s.step !== 'intro' || s.pending !== 'types') return s;
      if (e.type === 'types-failed' && !tolerable(e.error)) return fail(s, out, e.error);
      if (e.type === 'types-failed') {
        const retry = planRetry(e.error, s.tries, READ_RETRIES, s.cfg.timing);
        if (retry) return waitAndRetry(s, out, { ...s, tries: retry.tries }, retry);
      }
      return chosen(
        s,
        planDocumentChoice(
          s.config ?? undefined,
          e.type === 'types-read' ? e.entries : [],
          choiceInput(s),
        ),
        out,
      );
    case 'country-continue':
      if (s.step !== 'country' || s.pending) return s;
      if (!e.code) {
        const notice = { key: 'countryMissing' } as const;
        announce(out, notice);
        return { ...s, notice };
      }
      return afterCountry(
        s,
        out,
        s.choice,
        e.code,
        s.choice.countries.find((c) => c.code === e.code)?.kinds ?? [],
      );
    case 'change-country':
      if (s.step !== 'document' || s.pending || !s.choice.askCountry) return s;
      return to(s, { step: 'country', choice: s.choice, country: s.country, tries: NO_TRIES });
    case 'choose-document':
      if (s.step !== 'document' || s.pending) return s;
      out.push({ type: 'create-session', input: createInput(s, e.kind, s.country) });
      return { ...s, pending: 'create', notice: undefined };
    case 'session-created':
      return s.pending === 'create' ? created(s, e.created, e.input, out) : s;
    case 'create-failed':
      if (s.pending !== 'create') return s;
      if (e.error.retryable) {
        // Nothing was created: stay on this step with the reason, and the same button tries again.
        const notice =
          e.error.code === 'rate_limited' && e.error.retryAfterMs !== undefined
            ? ({ key: 'busyTryLater', seconds: seconds(e.error.retryAfterMs) } as const)
            : ({ key: 'error', code: e.error.code } as const);
        announce(out, notice);
        emitError(out, e.error.code, e.error.message, true);
        return { ...s, pending: undefined, notice };
      }
      return fail(s, out, e.error);
    default:
      return s;
  }
}

function start(s: StateOf<'intro'>, out: Out): FlowState {
  const { mode, documentType } = s.cfg;
  if (mode === 'capture') out.push({ type: 'load-kit', required: false }); // fetch the chunk while the user reads on
  const session = s.session;
  if (session && mode === 'capture') return beginCapture(s, out, { session, images: {} });
  if (session && mode === 'provider-sdk')
    return to(s, { step: 'provider', session, submitting: false, tries: NO_TRIES });
  if (mode === 'capture') {
    out.push(setupRead(s, 'config'));
    return { ...s, pending: 'config', notice: undefined, tries: NO_TRIES };
  }
  out.push({ type: 'create-session', input: createInput(s, documentType) });
  return { ...s, pending: 'create', notice: undefined };
}

/** A proxy that cannot say what to ask (an older one, or a failure) gets the plain flow; a refused origin stops. */
const tolerable = (error: FlowError) => error.serverCode !== 'origin_not_allowed';

const choiceInput = (s: FlowState) => ({
  documentType: s.cfg.documentType,
  documentCountry: s.cfg.documentCountry,
  language: s.cfg.language,
});

function configRead(
  s: StateOf<'intro'>,
  config: ClientConfigResponse | undefined,
  error: FlowError | undefined,
  out: Out,
): FlowState {
  if (error) {
    if (!tolerable(error)) return fail(s, out, error);
    const retry = planRetry(error, s.tries, READ_RETRIES, s.cfg.timing);
    if (retry) return waitAndRetry(s, out, { ...s, tries: retry.tries }, retry);
  }
  const { documentType, documentCountry } = s.cfg;
  const countryFixed = documentCountry?.trim().toUpperCase() === ANY_PASSPORT_COUNTRY;
  const needList = config?.countryRequired ? !countryFixed : !isDocumentKind(documentType);
  const next = { ...s, config: config ?? null, tries: NO_TRIES };
  if (!needList)
    return chosen(next, planDocumentChoice(config, [] as DocumentTypeEntry[], choiceInput(s)), out);
  out.push(setupRead(s, 'types'));
  return { ...next, pending: 'types' };
}

function chosen(s: StateOf<'intro'>, choice: DocumentChoice, out: Out): FlowState {
  if (choice.askCountry)
    return to(s, { step: 'country', choice, country: choice.defaultCountry, tries: NO_TRIES });
  return afterCountry(s, out, choice, choice.fixedCountry, choice.kinds);
}

/** The country is settled: a preset type goes straight to a session, else the user picks one. */
function afterCountry(
  s: SetupState,
  out: Out,
  choice: DocumentChoice,
  country: string | undefined,
  kinds: DocumentKind[],
): FlowState {
  const documentType = s.cfg.documentType;
  if (documentType) {
    out.push({ type: 'create-session', input: createInput(s, documentType, country) });
    const here = s.step === 'country' ? { ...s, country } : s;
    return { ...here, pending: 'create', notice: undefined };
  }
  return to(s, { step: 'document', choice, ...(country && { country }), kinds, tries: NO_TRIES });
}

function created(
  s: FlowState,
  answer: CreateSessionResponse,
  input: CreateInput,
  out: Out,
): FlowState {
  const session = adopt(answer, input);
  if (s.cfg.mode === 'redirect') {
    if (!answer.captureUrl)
      return fail(s, out, {
        code: 'server_error',
        message: 'The proxy sent no captureUrl.',
        retryable: false,
      });
    out.push({ type: 'navigate', url: answer.captureUrl });
    return to(s, { step: 'redirecting', session });
  }
  if (s.cfg.mode === 'provider-sdk') {
    if (!answer.providerToken)
      return fail(s, out, {
        code: 'server_error',
        message: 'The proxy sent no providerToken.',
        retryable: false,
      });
    emit(out, {
      name: 'provider-sdk',
      detail: { provider: answer.provider, token: answer.providerToken, session: answer.session },
    });
    return to(s, { step: 'provider', session, submitting: false, tries: NO_TRIES });
  }
  return beginCapture(s, out, { session, images: {} });
}

function consent(s: StateOf<'consent'>, e: FlowEvent, out: Out): FlowState {
  const { work } = s;
  if (e.type === 'consent-toggle') {
    const next = { ...s, work: { ...work, session: { ...work.session, consentGiven: e.checked } } };
    return e.checked ? { ...next, notice: undefined } : next;
  }
  if (e.type !== 'consent-continue') return s;
  if (!work.session.consentGiven) {
    const notice = { key: 'consentMissing' } as const;
    announce(out, notice);
    return { ...s, notice };
  }
  return nextSide(s, out, work);
}

function withImage(work: Work, side: Side, image: CapturedImage | undefined, out: Out): Work {
  const old = work.images[side];
  if (old && old !== image) out.push({ type: 'release', images: [old] });
  const images = { ...work.images };
  if (image) images[side] = image;
  else delete images[side];
  return { ...work, images };
}

function capture(s: StateOf<'capture'>, e: FlowEvent, out: Out): FlowState {
  const { work, side } = s;
  const held = work.images[side];
  const current = 'side' in e && e.side === side;
  switch (e.type) {
    case 'shutter':
      if (s.source === 'camera' && s.cameraReady && !s.processing && !held)
        out.push({ type: 'grab-frame', side });
      return s;
    case 'frame':
    case 'file-chosen': {
      if (s.processing || held || (e.type === 'frame' && !current)) return s;
      if (e.type === 'file-chosen' && !fileAllowed(s, side)) return s; // a live selfie only
      const source = e.type === 'frame' ? e.frame : e.file;
      out.push({ type: 'process-image', side, source });
      return { ...s, processing: true, cameraReady: false, notice: undefined, hint: undefined };
    }
    case 'quality':
      // Only while the live preview runs; an unchanged hint is no new state (no re-render).
      if (!current || held || s.processing || !s.cameraReady || s.hint === e.hint) return s;
      return { ...s, hint: e.hint };
    case 'image-ready':
      if (!current || !s.processing) {
        out.push({ type: 'release', images: [e.image] }); // the user moved on meanwhile
        return s;
      }
      return { ...s, work: withImage(work, side, e.image, out), processing: false };
    case 'image-failed':
      return current ? { ...s, processing: false, notice: { key: 'imageUnreadable' } } : s;
    case 'retake':
      return held
        ? { ...s, work: withImage(work, side, undefined, out), cameraReady: false, hint: undefined }
        : s;
    case 'accept':
      return held ? nextSide(s, out, work) : s;
    case 'handoff-start':
      return startHandoff(s, side, out);
    case 'use-picker':
      return fileAllowed(s, side)
        ? { ...s, source: 'picker', cameraReady: false, hint: undefined }
        : s;
    case 'use-camera':
      if (!s.cameraBlocked) return { ...s, source: 'camera', notice: undefined };
      // The selfie has no file fallback: the camera may be tried again (the permission may be granted now).
      return fileAllowed(s, side)
        ? s
        : { ...s, cameraBlocked: false, source: 'camera', notice: undefined };
    case 'camera-ready':
      return current && cameraOf(s) ? { ...s, cameraReady: true } : s;
    case 'camera-failed':
      if (!current) return s;
      // Recoverable: the file picker takes over. The event still tells the host page what happened.
      emitError(out, e.code, e.message, true);
      return {
        ...s,
        cameraBlocked: true,
        source: 'picker',
        cameraReady: false,
        notice: { key: 'error', code: e.code },
      };
    default:
      return s;
  }
}

function retakeSide(s: FlowState & { work: Work }, side: Side, out: Out): FlowState {
  const work = withImage(s.work, side, undefined, out);
  return to(s, {
    step: 'capture',
    work,
    side,
    source: defaultSource(s),
    processing: false,
    cameraReady: false,
  });
}

function upload(s: StateOf<'upload'>, e: FlowEvent, out: Out): FlowState {
  const { work } = s;
  const session = work.session;
  switch (e.type) {
    case 'upload-progress':
      return { ...s, progress: { ...s.progress, [e.side]: e.fraction } };
    case 'uploaded': {
      // The proxy may refresh the token (it now names the dossier and process): use it from here on.
      const refreshed = e.token && e.token !== session.token;
      const next: Session = {
        ...session,
        uploaded: uniq([...session.uploaded, e.side]),
        ...(refreshed && { token: e.token!, initial: session.initial ?? session.token }),
      };
      const nextWork = { ...work, session: next };
      out.push(uploadCall(nextWork));
      return { ...s, work: nextWork, phase: 'running', tries: NO_TRIES };
    }
    case 'submitted':
      release(out, work.images); // the proxy has them now
      announce(out, { key: 'uploadDone' });
      return afterStatus(
        { ...s, work: { ...work, images: {} } },
        out,
        session,
        e.status,
        isFinalStatus(e.status),
      );
    case 'upload-failed':
      return uploadFailed(s, e.error, e.side, out);
    case 'submit-failed':
      return uploadFailed(s, e.error, undefined, out);
    case 'retry-upload':
      if (s.phase !== 'failed') return s;
      out.push(s.renew ? { type: 'create-session', input: session.input! } : uploadCall(work));
      return { ...s, phase: 'running', tries: NO_TRIES };
    case 'session-created':
      return s.renew ? renewed(s, adopt(e.created, e.input), out) : s;
    case 'create-failed':
      return s.renew ? uploadFailed(s, e.error, undefined, out) : s;
    default:
      return s;
  }
}

function uploadFailed(
  s: StateOf<'upload'>,
  error: FlowError,
  side: Side | undefined,
  out: Out,
): FlowState {
  const { work } = s;
  const session = work.session;
  if (side && error.serverCode === 'consent_required') {
    // The proxy knows the provider needs consent although this page was not told (a session from
    // elsewhere): ask for it; the photos stay and go again from the review.
    return to(s, {
      step: 'consent',
      work: { ...work, session: { ...session, consentRequired: true, consentGiven: false } },
    });
  }
  if (side && error.code === 'upload_rejected') {
    // Back to that side's capture with the reason; the other images stay.
    emitError(out, error.code, error.message, true);
    const next = withImage(
      { ...work, session: { ...session, uploaded: session.uploaded.filter((u) => u !== side) } },
      side,
      undefined,
      out,
    );
    return to(s, {
      step: 'capture',
      work: next,
      side,
      source: defaultSource(s),
      processing: false,
      cameraReady: false,
      notice: { key: 'error', code: 'upload_rejected' },
    });
  }
  if (error.code === 'session_expired' && !s.renew) {
    // A session this page created: make a new one and send the photos it still holds, without asking.
    if (session.origin === 'element' && session.input && !session.renewed) {
      out.push({ type: 'create-session', input: session.input });
      return { ...s, phase: 'running', tries: NO_TRIES, renew: true };
    }
    return fail(s, out, error);
  }
  const retry = planRetry(error, s.tries, UPLOAD_RETRIES, s.cfg.timing);
  if (retry) {
    const transient = retry.wait.reason === 'transient';
    if (transient)
      announce(out, { key: 'uploadRetrying', attempt: retry.wait.attempt, of: retry.wait.of });
    const next: FlowState = {
      ...s,
      tries: retry.tries,
      ...(transient && { phase: 'retrying', attempt: retry.wait.attempt }),
    };
    return waitAndRetry(s, out, next, retry);
  }
  if (error.retryable) {
    announce(out, { key: 'uploadFailed' });
    emitError(out, error.code, error.message, true);
    return { ...s, phase: 'failed' };
  }
  return fail(s, out, error);
}

/** The replacement session exists: the photos this page still holds go to it (the consent given here too). */
function renewed(s: StateOf<'upload'>, fresh: Session, out: Out): FlowState {
  const session: Session = { ...fresh, consentGiven: s.work.session.consentGiven, renewed: true };
  const work = { ...s.work, session };
  if (session.consentRequired && !session.consentGiven) return to(s, { step: 'consent', work });
  out.push(uploadCall(work));
  return { ...s, work, renew: undefined, phase: 'running', tries: NO_TRIES };
}

function provider(s: StateOf<'provider'>, e: FlowEvent, out: Out): FlowState {
  switch (e.type) {
    case 'provider-complete':
      if (s.submitting) return s;
      out.push({ type: 'submit', token: s.session.token });
      return { ...s, submitting: true, tries: NO_TRIES };
    case 'submitted':
      return s.submitting ? afterStatus(s, out, s.session, e.status, isFinalStatus(e.status)) : s;
    case 'submit-failed': {
      if (!s.submitting) return s;
      const retry = planRetry(e.error, s.tries, UPLOAD_RETRIES, s.cfg.timing);
      return retry
        ? waitAndRetry(s, out, { ...s, tries: retry.tries }, retry)
        : fail(s, out, e.error);
    }
    default:
      return s;
  }
}

// ---- back and cancel: no dead ends before submit ----

/** The previous step; from the first photo (or the consent), the document choice again. */
function back(s: FlowState, out: Out): FlowState {
  if (isBusy(s)) return s;
  switch (s.step) {
    case 'country':
      return to(s, intro());
    case 'document':
      return s.choice.askCountry
        ? to(s, { step: 'country', choice: s.choice, country: s.country, tries: NO_TRIES })
        : to(s, intro());
    case 'consent':
      return rechoose(s, out, s.work);
    case 'capture': {
      const { work, side } = s;
      const { sides, uploaded, consentRequired } = work.session;
      // The side before: its photo is still here (shown to keep or retake), or the proxy lacks it.
      const before = sides.slice(0, sides.indexOf(side)).reverse();
      const previous = before.find((p) => work.images[p] || !uploaded.includes(p));
      if (previous) return atSide(s, work, previous);
      if (consentRequired && !uploaded.length) return to(s, { step: 'consent', work });
      return rechoose(s, out, work);
    }
    case 'review': {
      const last = [...s.work.session.sides].reverse().find((p) => s.work.images[p]);
      return last ? atSide(s, s.work, last) : s;
    }
    case 'upload':
      // Only once the automatic retries are spent: the photos are kept and can be retaken.
      return s.phase === 'failed' && Object.keys(s.work.images).length
        ? to(s, { step: 'review', work: s.work })
        : s;
    default:
      return s;
  }
}

function atSide(s: FlowState, work: Work, side: Side): FlowState {
  const source = fileAllowed(s, side) ? defaultSource(s) : 'camera';
  return to(s, { step: 'capture', work, side, source, processing: false, cameraReady: false });
}

/**
 * Back to the document choice. A session the integrator's backend made keeps its type: the intro.
 * A session this page made is dropped (its type is fixed at the proxy); when Signicat holds photos for it,
 * the proxy cancels it, deleting the dossier. A choice the user made is offered again at once.
 */
function rechoose(s: FlowState, out: Out, work: Work): FlowState {
  release(out, work.images);
  const { session } = work;
  if (session.origin === 'host') return to(s, { step: 'intro', session, tries: NO_TRIES });
  if (session.uploaded.length)
    out.push({ type: 'cancel-session', token: session.token, wait: false });
  const fresh = to(s, intro()) as StateOf<'intro'>;
  return s.cfg.documentType ? fresh : start(fresh, out);
}

/** Cancel: the camera goes off with the step, the photos are dropped, the proxy ends the session. */
function cancel(s: FlowState, out: Out): FlowState {
  const session = sessionOf(s);
  if (!session || !canCancel(s)) return s;
  out.push({ type: 'abort' });
  release(out, imagesOf(s));
  out.push({ type: 'cancel-session', token: session.token, wait: true });
  announce(out, { key: 'canceling' });
  return to(s, { step: 'canceling', session, tries: NO_TRIES });
}

function canceling(s: StateOf<'canceling'>, e: FlowEvent, out: Out): FlowState {
  if (e.type === 'cancel-done')
    return afterStatus(s, out, s.session, e.status, isFinalStatus(e.status));
  if (e.type !== 'cancel-failed') return s;
  if (e.error.serverCode === 'already_submitted') {
    // Too late: verification runs at Signicat. Follow it to its outcome.
    const session = noteStatus(out, s.session, 'processing', false);
    return to(s, { step: 'waiting', session, status: 'processing' });
  }
  // Canceling twice is harmless (a final session answers as it is): retry like an upload.
  const retry = planRetry(e.error, s.tries, UPLOAD_RETRIES, s.cfg.timing);
  if (retry) return waitAndRetry(s, out, { ...s, tries: retry.tries }, retry);
  return fail(s, out, e.error);
}

// ---- cross-device hand-off (docs/element.md): the desktop shows a link, a phone captures ----

function startHandoff(s: StateOf<'capture'>, side: Side, out: Out): FlowState {
  if (!handoffAllowed(s) || s.processing) return s;
  out.push({ type: 'create-handoff', token: s.work.session.token });
  return to(s, { step: 'handoff', work: s.work, side, phase: 'creating' });
}

function handoff(s: StateOf<'handoff'>, e: FlowEvent, out: Out): FlowState {
  const { work } = s;
  const claimed = s.progress?.state === 'claimed';
  const back = (): FlowState =>
    to(s, {
      step: 'capture',
      work,
      side: s.side,
      source: defaultSource(s),
      processing: false,
      cameraReady: false,
    });
  switch (e.type) {
    case 'handoff-created':
      if (s.phase !== 'creating') return s;
      out.push({ type: 'handoff-timer', at: e.link.expiresAt });
      return { ...s, phase: 'ready', link: e.link, progress: { state: 'open', uploaded: [] } };
    case 'handoff-failed':
      if (s.phase === 'canceling') return claimed ? { ...s, phase: 'ready' } : back();
      if (s.phase !== 'creating') return s;
      emitError(out, e.error.code, e.error.message, true);
      return { ...s, phase: 'failed', notice: { key: 'error', code: e.error.code } };
    case 'handoff-start': // a new link, after the last one expired or could not be made
      if (s.phase !== 'expired' && s.phase !== 'failed') return s;
      out.push({ type: 'create-handoff', token: work.session.token });
      return { ...s, phase: 'creating', link: undefined, progress: undefined, notice: undefined };
    case 'handoff-progress': {
      if (s.phase !== 'ready' && s.phase !== 'canceling') return s;
      const before = s.progress?.uploaded ?? [];
      if (e.progress.state === 'claimed' && !claimed) announce(out, { key: 'handoffConnected' });
      for (const side of e.progress.uploaded)
        if (!before.includes(side)) announce(out, { key: 'handoffCaptured', side });
      return { ...s, progress: e.progress };
    }
    case 'handoff-expired':
      return s.phase === 'ready' && !claimed ? { ...s, phase: 'expired' } : s;
    case 'handoff-cancel':
      if (s.phase === 'canceling') return s;
      if (s.phase === 'expired' || s.phase === 'failed') return back(); // nothing to cancel at the proxy
      out.push({ type: 'cancel-handoff', token: work.session.token });
      return { ...s, phase: 'canceling' };
    case 'handoff-canceled':
      if (s.phase !== 'canceling') return s;
      // A claimed link is canceled with the verification itself (the phone held the session).
      if (claimed || (e.progress?.state === 'canceled' && e.progress.uploaded.length))
        return afterStatus(s, out, work.session, 'canceled', true);
      return back();
    case 'status':
      // The stream opens with `pending`; the phone's submit brings `processing`, then the outcome.
      if (e.status === 'pending' && !e.final) return s;
      return afterStatus(s, out, work.session, e.status, e.final);
    case 'status-failed':
      return fail(s, out, e.error);
    default:
      return s;
  }
}

/** Codes of a claim the phone cannot make: the link's own, or a session already sent. */
const CLAIM_REFUSALS: ReadonlySet<string> = new Set([...HANDOFF_CLAIM_ERRORS, 'already_submitted']);

function claiming(s: StateOf<'claiming'>, e: FlowEvent, out: Out): FlowState {
  if (e.type === 'handoff-claimed') {
    const { claimed } = e;
    const documentType = claimed.documentType ?? undefined;
    const session: Session = {
      token: claimed.session,
      origin: 'host',
      mode: claimed.mode,
      ...(documentType && { documentType }),
      sides: sidesOf(claimed.images, documentType),
      uploaded: claimed.images.uploaded ?? [],
      consentRequired: claimed.consentRequired === true,
      consentGiven: false,
    };
    return beginCapture(s, out, { session, images: {} });
  }
  if (e.type !== 'handoff-failed') return s;
  const refused = e.error.serverCode;
  if (refused && CLAIM_REFUSALS.has(refused)) {
    emitError(out, 'session_expired', e.error.message, false);
    return phoneDone(s, out, refused);
  }
  const retry = planRetry(e.error, s.tries, READ_RETRIES, s.cfg.timing);
  if (retry) return waitAndRetry(s, out, { ...s, tries: retry.tries }, retry);
  return fail(s, out, e.error);
}

/** The phone's last screen: "go back to your computer", or why the link could not be used. */
function phoneDone(s: FlowState, out: Out, refused?: string): FlowState {
  release(out, imagesOf(s));
  announce(out, { key: refused ? 'handoffRefused' : 'phoneDone' });
  return to(s, { step: 'phone-done', ...(refused && { refused }) });
}
