/**
 * Drives the element's pure flow machine (component/flow/machine.ts) in Node, with no DOM: sample
 * proxy answers, a `Flow` that folds events and keeps every effect, and a record of each transition
 * taken (`from/event→to`), which flow.test.ts compares with what exploring the machine finds.
 */
import type {
  ClientConfigResponse,
  CreateSessionResponse,
  DocumentTypeEntry,
  ElementErrorCode,
  ReturnRequest,
  SessionStatusResponse,
  Side,
  Status,
} from '../../component/contract/index.js';
import { initialState, reduce } from '../../component/flow/machine.js';
import type {
  CapturedImage,
  CreateInput,
  Effect,
  FlowConfig,
  FlowError,
  FlowEvent,
  FlowState,
  HostEvent,
  Snapshot,
  Transition,
} from '../../component/flow/types.js';

export const TIMING = { retryBaseMs: 1000, retryAfterCapMs: 60_000, rateLimitDefaultMs: 5000 };

/**
 * The element's inputs. `allowSelfieUpload` is on so `photo()` can give every side by file; the live-only
 * selfie (the default) is tested in journey.test.ts.
 */
export function cfg(over: Partial<FlowConfig> = {}): FlowConfig {
  return { mode: 'capture', language: 'nb-NO', timing: TIMING, allowSelfieUpload: true, ...over };
}

/** Events every state handles alike: recorded as coming from `*`. */
const ANY_STATE: ReadonlySet<string> = new Set(['boot', 'restart', 'configure', 'provider-failed']);

/** `from/event→to` of every transition that changed the state or asked for effects. */
export function transitionKey(
  from: FlowState,
  event: FlowEvent,
  t: Transition,
): string | undefined {
  if (t.state === from && !t.effects.length) return undefined;
  if (event.type === 'configure') return '*/configure'; // never moves
  return `${ANY_STATE.has(event.type) ? '*' : from.step}/${event.type}→${t.state.step}`;
}

/** Transitions the tests took. */
export const taken = new Set<string>();
/** States the tests reached, for exploration. */
export const reached: FlowState[] = [];

export function step(state: FlowState, event: FlowEvent): Transition {
  const t = reduce(state, event);
  const key = transitionKey(state, event, t);
  if (key) taken.add(key);
  reached.push(t.state);
  return t;
}

type DetailOf<N extends HostEvent['name']> = Extract<HostEvent, { name: N }>['detail'];

export class Flow {
  /** Effects of the last event. */
  effects: Effect[] = [];
  /** Effects of every event so far. */
  readonly all: Effect[] = [];

  constructor(public state: FlowState) {}

  static boot(over: Partial<FlowConfig> = {}, stored?: Snapshot, returned?: ReturnRequest): Flow {
    const c = cfg(over);
    const flow = new Flow(initialState(c));
    flow.send({ type: 'boot', cfg: c, ...(stored && { stored }), ...(returned && { returned }) });
    return flow;
  }

  send(...events: FlowEvent[]): Effect[] {
    for (const event of events) {
      const t = step(this.state, event);
      this.state = t.state;
      this.effects = t.effects;
      this.all.push(...t.effects);
    }
    return this.effects;
  }

  /** The last event's effects of one kind. */
  of<T extends Effect['type']>(type: T): Array<Extract<Effect, { type: T }>> {
    return this.effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
  }

  /** The single effect of a kind from the last event (throws when absent or repeated). */
  one<T extends Effect['type']>(type: T): Extract<Effect, { type: T }> {
    const found = this.of(type);
    if (found.length !== 1)
      throw new Error(
        `expected one ${type} effect, got ${found.length}: ${JSON.stringify(this.effects)}`,
      );
    return found[0]!;
  }

  /** Host events of one name, over the whole run. */
  emitted<N extends HostEvent['name']>(name: N): Array<DetailOf<N>> {
    return this.all
      .filter(
        (e): e is Extract<Effect, { type: 'emit' }> => e.type === 'emit' && e.event.name === name,
      )
      .map((e) => e.event.detail as unknown as DetailOf<N>);
  }

  /** The calls (proxy requests) of the last event. */
  get calls(): Effect[] {
    const kinds = new Set([
      'read-config',
      'read-document-types',
      'create-session',
      'read-session',
      'return',
      'upload',
      'submit',
    ]);
    return this.effects.filter((e) => kinds.has(e.type));
  }

  /** The last snapshot persisted over the whole run (`undefined`: never written). */
  saved(): Snapshot | null | undefined {
    const writes = this.all.filter(
      (e): e is Extract<Effect, { type: 'persist' }> => e.type === 'persist',
    );
    return writes.at(-1)?.snapshot;
  }

  get step(): FlowState['step'] {
    return this.state.step;
  }
}

// ---- sample proxy answers ----

export const PAPER: ClientConfigResponse = {
  mode: 'capture',
  provider: 'signicatpaper',
  documentTypes: ['passport', 'identityCard', 'driversLicense', 'residencePermit'],
  countryRequired: true,
  defaultCountry: 'NO',
};

export const PLAIN: ClientConfigResponse = {
  ...PAPER,
  provider: 'fakeprovider',
  countryRequired: false,
  defaultCountry: null,
};

export const ENTRIES: DocumentTypeEntry[] = [
  { country: 'NOR', countryCode: 'NO', countryName: 'Norway', type: 'passport' },
  { country: 'NOR', countryCode: 'NO', countryName: 'Norway', type: 'identityCard' },
  { country: 'SWE', countryCode: 'SE', countryName: 'Sweden', type: 'passport' },
  { country: 'SWE', countryCode: 'SE', countryName: 'Sweden', type: 'driversLicense' },
];

export function created(over: Partial<CreateSessionResponse> = {}): CreateSessionResponse {
  const documentType = over.documentType ?? 'passport';
  const sides: Side[] =
    documentType === 'passport' ? ['front', 'selfie'] : ['front', 'back', 'selfie'];
  return {
    session: 'tok-1',
    mode: 'capture',
    provider: 'signicatpaper',
    documentType,
    images: { required: sides, optional: [] },
    expiresAt: '2030-01-01T00:00:00Z',
    ...over,
  };
}

export function read(
  status: Status,
  over: Partial<SessionStatusResponse> = {},
): SessionStatusResponse {
  return {
    status,
    final: ['accepted', 'rejected', 'inconclusive', 'failed', 'canceled'].includes(status),
    updatedAt: '2030-01-01T00:00:00Z',
    ...over,
  };
}

export function err(code: ElementErrorCode, over: Partial<FlowError> = {}): FlowError {
  const retryable = code === 'network' || code === 'server_error' || code === 'rate_limited';
  return { code, message: `${code} happened`, retryable, ...over };
}

let images = 0;
export function image(side: Side): CapturedImage {
  return {
    blob: new Blob([`jpeg of ${side}`], { type: 'image/jpeg' }),
    url: `blob:${side}-${++images}`,
    width: 40,
    height: 30,
  };
}

export const input = (over: Partial<CreateInput> = {}): CreateInput => ({
  mode: 'capture',
  documentType: 'passport',
  ...over,
});

/** A capture session created on this page, at the front capture step (passport: front and selfie). */
export function atFront(
  over: Partial<FlowConfig> = {},
  answer: Partial<CreateSessionResponse> = {},
): Flow {
  const flow = Flow.boot({
    documentType: answer.documentType ?? 'passport',
    provider: 'fakeprovider',
    ...over,
  });
  flow.send({ type: 'start' }, { type: 'config-read', config: PLAIN });
  const create = flow.one('create-session');
  flow.send({ type: 'session-created', created: created(answer), input: create.input });
  return flow;
}

/** From a capture step: a photo by file, accepted. */
export function photo(flow: Flow, side: Side): CapturedImage {
  const shot = image(side);
  flow.send(
    { type: 'use-picker' },
    { type: 'file-chosen', file: shot.blob },
    { type: 'image-ready', side, image: shot },
    { type: 'accept' },
  );
  return shot;
}

/** A passport session with both photos, at review. */
export function atReview(
  over: Partial<FlowConfig> = {},
  answer: Partial<CreateSessionResponse> = {},
): Flow {
  const flow = atFront(over, answer);
  for (const side of flow.state.step === 'capture' ? flow.state.work.session.sides : [])
    photo(flow, side);
  return flow;
}

export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    v: 1,
    session: 'stored-1',
    mode: 'capture',
    step: 'capture',
    documentType: 'passport',
    images: { required: ['front', 'selfie'], optional: [] },
    uploaded: [],
    ...over,
  };
}
