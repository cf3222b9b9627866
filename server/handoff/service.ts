/**
 * Cross-device hand-off: the desktop's capture session continues on a phone through a short-lived,
 * single-use link (docs/api.md, docs/security.md). The link's state lives on the session record, so
 * its claim is one `update` (compare-and-set on Redis: of two instances claiming at once, one wins)
 * and every change reaches the desktop's status stream through the store's fan-out. A second link
 * for the same session replaces the first.
 */
import {
  requiredSides,
  type ClaimHandoffResponse,
  type CreateHandoffResponse,
  type HandoffProgress,
} from '../../component/contract/index.ts';
import type { Config } from '../config.ts';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { claimsOf } from '../session/claims.ts';
import type { SessionTokens } from '../session/token.ts';
import type { HandoffRecord, SessionRecord, SessionStore } from '../state/store.ts';
import { needsConsent } from '../verification/policy.ts';
import type { VerificationService } from '../verification/service.ts';
import { CODE_PATTERN, codeId, newCode } from './code.ts';
import { handoffProgress } from './progress.ts';
import { qrPath } from './qr.ts';

/** The link's id is remembered this long past its expiry, so a late claim hears "expired", not "unknown". */
const REMEMBER_EXPIRED_MS = 3_600_000;

export interface HandoffDeps {
  config: Pick<Config, 'handoffTtlSeconds'>;
  store: SessionStore;
  tokens: SessionTokens;
  verification: Pick<VerificationService, 'resolve' | 'cancel'>;
  /** Origin (and mount path) the phone reaches the proxy on. */
  publicUrl: string;
  log: Logger;
  now?: () => number;
}

const notFound = () =>
  new ApiError(
    404,
    'handoff_not_found',
    'This link is not valid. Scan the code on your computer again.',
  );

/** Sessions a phone may take over: capture mode, nothing submitted yet. */
function refuseUnlessCapturing(record: SessionRecord): void {
  if (record.mode !== 'capture')
    throw new ApiError(409, 'wrong_mode', 'Only capture sessions can continue on a phone.');
  if (record.submitted || record.status !== 'pending')
    throw new ApiError(
      409,
      'already_submitted',
      'This session was already submitted; there is nothing left to capture.',
    );
}

/** Why the link `id` cannot be claimed now, or undefined when it can. */
function claimRefusal(record: SessionRecord, id: string, now: number): ApiError | undefined {
  const h = record.handoff;
  if (!h || h.id !== id || h.state === 'canceled')
    return new ApiError(
      410,
      'handoff_canceled',
      'This link was canceled on the computer. Scan the new code there to continue.',
    );
  if (h.state === 'claimed')
    return new ApiError(
      409,
      'handoff_used',
      'This link was already opened on another device. Each link works once.',
    );
  if (now >= h.expiresAt || now >= record.expiresAt)
    return new ApiError(
      410,
      'handoff_expired',
      'This link has expired. Make a new one on your computer.',
    );
  try {
    refuseUnlessCapturing(record);
  } catch (error) {
    return error as ApiError;
  }
  return undefined;
}

export function createHandoffService(deps: HandoffDeps) {
  const { store, tokens, verification, log } = deps;
  const now = deps.now ?? Date.now;

  /** A new link for the session behind `token`; an earlier one stops working. */
  async function create(token: string): Promise<CreateHandoffResponse> {
    const { record } = await verification.resolve(token);
    refuseUnlessCapturing(record);
    const at = now();
    const code = newCode();
    const link: HandoffRecord = {
      id: codeId(code),
      state: 'open',
      expiresAt: Math.min(at + deps.config.handoffTtlSeconds * 1000, record.expiresAt),
    };
    // The index first: a link in the record is always findable.
    await store.putHandoff(link.id, record.sessionId, link.expiresAt - at + REMEMBER_EXPIRED_MS);
    let refused: ApiError | undefined;
    await store.update(record.sessionId, (r) => {
      try {
        refuseUnlessCapturing(r);
      } catch (error) {
        refused = error as ApiError;
        return undefined;
      }
      refused = undefined;
      return { ...r, handoff: link };
    });
    if (refused) throw refused;
    log('info', 'handoff.created', { sessionId: record.sessionId, expiresAt: link.expiresAt });
    const url = `${deps.publicUrl.replace(/\/+$/, '')}/h/${code}`;
    return { url, expiresAt: new Date(link.expiresAt).toISOString(), qr: qrPath(url) };
  }

  /**
   * Cancels the session's link. Unclaimed, the link stops working and the desktop goes on by itself.
   * Claimed, the phone holds the session: the verification itself is canceled (as `POST …/cancel`).
   */
  async function cancel(token: string): Promise<HandoffProgress> {
    const { record } = await verification.resolve(token);
    let found: HandoffRecord['state'] | undefined;
    const cancelOpen = (r: SessionRecord) => {
      found = r.handoff?.state;
      return r.handoff && r.handoff.state === 'open'
        ? { ...r, handoff: { ...r.handoff, state: 'canceled' as const } }
        : undefined;
    };
    let current = await store.update(record.sessionId, cancelOpen);
    if (!current || found === undefined || found === 'canceled') throw notFound();
    if (found === 'claimed') {
      await verification.cancel(token);
      current = await store.update(record.sessionId, (r) =>
        r.handoff ? { ...r, handoff: { ...r.handoff, state: 'canceled' } } : undefined,
      );
    }
    log('info', 'handoff.canceled', { sessionId: record.sessionId, claimed: found === 'claimed' });
    return handoffProgress(current!, now())!;
  }

  /** The phone's one claim: a session token for the link's session, or why not. */
  async function claim(code: string): Promise<ClaimHandoffResponse> {
    if (!CODE_PATTERN.test(code)) throw notFound();
    const id = codeId(code);
    const sessionId = await store.findHandoff(id);
    if (!sessionId) throw notFound();
    let refusal: ApiError | undefined;
    const record = await store.update(sessionId, (r) => {
      // On Redis this runs again whenever another writer got there first: the last run decides.
      refusal = claimRefusal(r, id, now());
      return refusal ? undefined : { ...r, handoff: { ...r.handoff!, state: 'claimed' } };
    });
    if (!record) throw notFound();
    if (refusal) {
      log('info', 'handoff.refused', { sessionId, code: refusal.code });
      throw refusal;
    }
    const issued = await tokens.issue(claimsOf(record), new Date(record.expiresAt));
    log('info', 'handoff.claimed', { sessionId });
    return {
      session: issued.token,
      mode: record.mode,
      provider: record.provider,
      documentType: record.documentType ?? null,
      images: {
        required: requiredSides(record.mode, record.documentType),
        optional: [],
        uploaded: record.uploaded,
      },
      ...(needsConsent(record.mode, record.provider) &&
        !record.consent &&
        !record.processId && { consentRequired: true }),
      expiresAt: issued.expiresAt.toISOString(),
    };
  }

  return { create, cancel, claim };
}

export type HandoffService = ReturnType<typeof createHandoffService>;
