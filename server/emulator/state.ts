/**
 * The emulator's in-memory data: dossiers, processes, access tokens, one-time tokens, capture
 * configurations and the sandbox control settings. No I/O and no timers here (see engine.ts).
 */
import type { Depiction, FinalStatus, Status } from '../statuses.ts';
import type { ImageMime } from './images.ts';
import type { EventsTarget } from './options.ts';

export interface StoredImage {
  mime: ImageMime;
  bytes: Uint8Array;
}

/** Outcome and delay as set through the control routes; `delayMs` absent means "the default". */
export interface OutcomeSetting {
  status: FinalStatus;
  delayMs?: number;
}

/** `failReason`: schemaless and beta in the spec; every example is `{type, message}`. */
export interface FailReason {
  type: string;
  message: string;
}

/** `processParameters` fields the emulator acts on (others are accepted and ignored). */
export interface ProcessParametersRecord {
  location?: { ipAddress?: string; countryOfResidence?: string };
  consents?: { privacy?: boolean };
  referrer?: string;
}

export interface ProcessRecord {
  processId: string;
  dossierId: string;
  provider: string;
  processType?: string;
  documentType?: string;
  documentCountry?: string;
  processParameters?: ProcessParametersRecord;
  /** Signicat Paper: redaction asked for (`redactionRequested` in Get process). */
  redact?: string[];
  /** `eventTags`, sent as the event envelope's `tags`. */
  eventTags?: string[];
  /** Legacy callback target (not in the spec); kept only when it is a usable URL. */
  notificationUrl?: string;
  /** Replayed verbatim as the callback's `Authorization` header; never echoed or logged. */
  authorizationHeader?: string;
  status: Status;
  createdAt: number;
  updatedAt: number;
  /** Creation order, to sort processes created within the same millisecond. */
  sequence: number;
  images: Partial<Record<Depiction, StoredImage>>;
  /** Images arrived through Set images (`api`) or the provider-SDK stand-in (`sdk`). */
  imagesVia?: 'api' | 'sdk';
  /** Set once the process starts processing; fixed from then on unless a per-process control overrides it. */
  outcome?: { status: FinalStatus; finalizeAt: number };
  timer?: ReturnType<typeof setTimeout>;
  /** When the process reached its final status (options.now clock), for Download's readiness. */
  finalizedAt?: number;
  finalResult?: Record<string, unknown>;
  providerSpecific?: Record<string, unknown>;
  failReason?: FailReason;
  /** Hosted capture flow only. */
  capture?: {
    redirectUrl: string;
    sdk: 'capture' | 'native';
    captureParameters?: Record<string, unknown>;
  };
}

export interface DossierRecord {
  dossierId: string;
  externalReference?: string;
  createdAt: number;
  updatedAt: number;
  sequence: number;
  processIds: Set<string>;
}

export interface ConfigurationRecord {
  body: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface CallbackFaults {
  /** Never send callbacks for processes finishing from now on. */
  drop: boolean;
  /** Send every callback twice. */
  duplicate: boolean;
}

export class EmulatorState {
  readonly dossiers = new Map<string, DossierRecord>();
  readonly processes = new Map<string, ProcessRecord>();
  /** Access token → owner and expiry (ms). */
  readonly accessTokens = new Map<string, { clientId: string; expiresAt: number }>();
  /** Process `authorization` token (provider-SDK stand-in) → processId; removed once used. */
  readonly sdkTokens = new Map<string, string>();
  /** Capture page token → processId; removed once used. */
  readonly captureTokens = new Map<string, string>();
  readonly configurations = new Map<string, ConfigurationRecord>();
  #sequence = 0;

  /** Global outcome from `PUT /control/outcome`; undefined = the options' defaults. */
  outcome: OutcomeSetting | undefined;
  /** Per-process outcome from `PUT /control/processes/{id}`. */
  readonly processOutcomes = new Map<string, OutcomeSetting>();
  /** The older `PUT /control/callbacks` switches (kept beside the fault rules for compatibility). */
  callbackFaults: CallbackFaults = { drop: false, duplicate: false };
  /** Events target from `PUT /control/events`; `null` = switched off; undefined = the options' target. */
  eventsTarget: EventsTarget | null | undefined;

  nextSequence(): number {
    return ++this.#sequence;
  }

  /** A process by ID, only if it belongs to `dossierId` (a process under another dossier is "not found"). */
  process(dossierId: string, processId: string): ProcessRecord | undefined {
    const process = this.processes.get(processId);
    return process?.dossierId === dossierId ? process : undefined;
  }

  /** Removes a process and every token or setting that points at it. Timers are the engine's job. */
  removeProcess(process: ProcessRecord): void {
    this.processes.delete(process.processId);
    this.dossiers.get(process.dossierId)?.processIds.delete(process.processId);
    this.processOutcomes.delete(process.processId);
    for (const tokens of [this.sdkTokens, this.captureTokens]) {
      for (const [token, processId] of tokens)
        if (processId === process.processId) tokens.delete(token);
    }
  }

  resetControls(): void {
    this.outcome = undefined;
    this.processOutcomes.clear();
    this.callbackFaults = { drop: false, duplicate: false };
    this.eventsTarget = undefined;
  }
}
