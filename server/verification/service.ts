/**
 * The verification flow as a service: create a session, add an image, submit, return from the hosted
 * capture flow, complete a provider-SDK capture and cancel. Routes only validate, call and respond;
 * every Signicat call, claim and compensation lives here. Claims are released in `finally`, a partial
 * failure deletes what it created, and a refused request changes nothing.
 *
 * Capture sessions create nothing at Signicat until the first upload, so a flood of page loads costs
 * no dossiers; the first upload creates the dossier and process and answers with a refreshed token
 * that carries their ids and the uploaded sides, so a restarted proxy still finds them.
 */
import { randomBytes } from 'node:crypto';
import {
  ANY_PASSPORT_COUNTRY,
  requiredSides,
  type CreateSessionRequest,
  type CreateSessionResponse,
  type ReturnRequest,
  type Side,
} from '../../component/contract/index.ts';
import { AssureError, type AssureClient, type ImageUpload } from '../assure/types.ts';
import type { Config } from '../config.ts';
import { documentCountryFor, toAlpha3 } from '../countries.ts';
import { ApiError } from '../errors.ts';
import { insertOnce, type Lifecycle } from '../lifecycle/lifecycle.ts';
import type { Logger } from '../log.ts';
import type { ExternalReferences } from '../session/external-reference.ts';
import { claimsOf } from '../session/claims.ts';
import type { SessionClaims, SessionTokens } from '../session/token.ts';
import { isFinal } from '../statuses.ts';
import type { SessionRecord, SessionStore } from '../state/store.ts';
import {
  COUNTRY_PROVIDERS,
  needsConsent,
  planSession,
  processParametersFor,
  SELF_STARTING_PROVIDERS,
} from './policy.ts';

export interface VerificationDeps {
  /** Resolves once the start-up reconciliation has adopted what Signicat holds (or gave up). */
  reconciled?: Promise<unknown>;
  config: Config;
  assure: AssureClient;
  store: SessionStore;
  tokens: SessionTokens;
  references: ExternalReferences;
  lifecycle: Lifecycle;
  log: Logger;
  /** Origin Signicat sends legacy callbacks to. */
  publicUrl: string;
  allowedOrigins: readonly string[];
}

/** Who is asking: the integrator's backend (PROXY_API_KEY) or a browser, and from which address. */
export interface Caller {
  integrator: boolean;
  clientAddress?: string;
  /** The request's Origin header, for Onfido's web-SDK referrer when no page URL was given. */
  origin?: string;
}

export interface Resolved {
  claims: SessionClaims & { expiresAt: number };
  record: SessionRecord;
}

const SUBMIT_CLAIM_MS = 30_000;

export function createVerificationService(deps: VerificationDeps) {
  const { config, assure, store, tokens, references, lifecycle, log } = deps;
  /** One dossier per capture session even when two uploads race (in this instance). */
  const creating = new Map<string, Promise<SessionRecord>>();

  const legacyCallback = (dossierId: string) => ({
    notificationUrl: `${deps.publicUrl}/api/callbacks/assure`,
    authorizationHeader: `Bearer ${tokens.callbackSecret(dossierId)}`,
  });

  /** Deletes a dossier this flow created and cannot use; retried by the lifecycle when Signicat fails. */
  async function compensate(sessionId: string, dossierId: string) {
    // A dossier with no process is never listed by GET /processes, so reconciliation cannot find it:
    // the lifecycle keeps retrying the delete instead.
    await lifecycle.discard(sessionId, dossierId);
  }

  async function createSession(
    body: CreateSessionRequest,
    caller: Caller,
  ): Promise<CreateSessionResponse> {
    if (body.reference !== undefined && !caller.integrator) {
      throw new ApiError(
        401,
        'api_key_required',
        '"reference" is accepted only from your backend, with Authorization: Bearer <PROXY_API_KEY>.',
      );
    }
    if (config.sessionCreation === 'backend' && !caller.integrator) {
      throw new ApiError(
        401,
        'api_key_required',
        "Sessions are created by the site's backend here (SESSION_CREATION=backend).",
      );
    }
    const plan = planSession(config, body, deps.allowedOrigins);
    const sessionId = randomBytes(16).toString('base64url');
    const at = new Date().toISOString();
    const ttlMs = config.sessionTtlSeconds * 1000;
    const record: SessionRecord = {
      sessionId,
      mode: plan.mode,
      provider: plan.provider,
      ...(plan.documentType && { documentType: plan.documentType }),
      ...(plan.documentCountry && { documentCountry: plan.documentCountry }),
      ...(body.reference !== undefined && { reference: body.reference }),
      ...(plan.consent && { consent: true }),
      ...(plan.pageUrl && { pageUrl: plan.pageUrl }),
      status: 'pending',
      createdAt: at,
      updatedAt: at,
      expiresAt: Date.now() + ttlMs,
      uploaded: [],
      submitted: false,
      delivery: 'none',
      cleanedUp: false,
    };

    let captureUrl: string | undefined;
    let providerToken: string | undefined;
    if (plan.mode !== 'capture') {
      const { dossierId } = await assure.createDossier({
        externalReference: references.seal({
          sessionId,
          mode: plan.mode,
          reference: body.reference,
        }),
      });
      record.dossierId = dossierId;
      try {
        if (plan.mode === 'redirect') {
          const country =
            plan.documentCountry && plan.documentCountry !== ANY_PASSPORT_COUNTRY
              ? toAlpha3(plan.documentCountry)
              : undefined;
          const flow = await assure.startCaptureFlow(dossierId, {
            provider: plan.provider,
            redirectUrl: plan.redirectUrl!,
            ...legacyCallback(dossierId),
            ...(country && { captureParameters: { defaultCountry: country } }),
          });
          captureUrl = flow.url;
          // The answer is only `{url}`: the process id comes from the dossier, or later from the return.
          const dossier = await assure.getDossier(dossierId).catch(() => undefined);
          const process = dossier?.processes[0];
          if (process) record.processId = process.processId;
        } else {
          const referrer = plan.pageUrl ?? `${caller.origin ?? new URL(deps.publicUrl).origin}/*`;
          const process = await assure.createProcess(dossierId, {
            provider: plan.provider,
            ...(plan.documentType && { documentType: plan.documentType }),
            ...(plan.documentCountry &&
              COUNTRY_PROVIDERS.has(plan.provider) && {
                documentCountry: documentCountryFor(
                  plan.documentCountry,
                  config.signicat.documentCountryFormat,
                ),
              }),
            ...(processParametersFor(plan.mode, plan.provider, {
              consent: plan.consent,
              referrer,
            }) && {
              processParameters: processParametersFor(plan.mode, plan.provider, {
                consent: plan.consent,
                referrer,
              }),
            }),
            ...legacyCallback(dossierId),
          });
          if (!process.authorization) {
            throw new ApiError(
              502,
              'upstream_unavailable',
              `Signicat gave no SDK token for provider "${plan.provider}".`,
            );
          }
          record.processId = process.processId;
          providerToken = process.authorization;
        }
      } catch (error) {
        // No half-made sessions: the dossier goes when its process could not be made.
        await compensate(sessionId, dossierId);
        throw error;
      }
    }

    await store.insert(record);
    const issued = await tokens.issue(claimsOf(record), new Date(record.expiresAt));
    log('info', 'session.created', { sessionId, mode: plan.mode, provider: plan.provider });
    return {
      session: issued.token,
      mode: plan.mode,
      provider: plan.provider,
      documentType: plan.documentType ?? null,
      documentCountry: plan.documentCountry ?? null,
      images: { required: requiredSides(plan.mode, plan.documentType), optional: [] },
      ...(captureUrl && { captureUrl }),
      ...(providerToken && { providerToken }),
      ...(plan.consentRequired && { consentRequired: true }),
      expiresAt: issued.expiresAt.toISOString(),
    };
  }

  /** The session's record; rebuilt from the token when this instance's store does not know it. */
  async function resolve(token: string): Promise<Resolved> {
    const claims = await tokens.verify(token);
    if (claims === 'expired')
      throw new ApiError(
        401,
        'session_expired',
        'This verification session has expired; start a new one.',
      );
    if (claims === 'invalid')
      throw new ApiError(404, 'session_not_found', 'No such verification session.');
    let record = await store.get(claims.sessionId);
    if (!record && !claims.dossierId && claims.mode === 'capture' && deps.reconciled) {
      // A first token after a restart names no dossier; Signicat's list does (sealed externalReference).
      await Promise.race([
        deps.reconciled.catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
      record = await store.get(claims.sessionId);
    }
    if (!record) record = await rebuild(claims);
    if (
      (claims.dossierId && !record.dossierId) ||
      claims.uploaded?.some((side) => !record!.uploaded.includes(side))
    ) {
      // The token is ours and knows more (another instance, or an adopted record): learn from it.
      record =
        (await store.update(record.sessionId, (r) => {
          if (claims.processId && r.processId && claims.processId !== r.processId) return undefined;
          return {
            ...r,
            ...(claims.dossierId && { dossierId: claims.dossierId }),
            ...(claims.processId && { processId: claims.processId }),
            uploaded: [...new Set([...r.uploaded, ...(claims.uploaded ?? [])])],
          };
        })) ?? record;
    }
    return { claims, record };
  }

  async function rebuild(claims: SessionClaims & { expiresAt: number }): Promise<SessionRecord> {
    const at = new Date().toISOString();
    const record: SessionRecord = {
      sessionId: claims.sessionId,
      mode: claims.mode,
      provider: claims.provider,
      ...(claims.documentType && { documentType: claims.documentType }),
      ...(claims.documentCountry && { documentCountry: claims.documentCountry }),
      ...(claims.reference !== undefined && { reference: claims.reference }),
      ...(claims.consent && { consent: true }),
      ...(claims.dossierId && { dossierId: claims.dossierId }),
      ...(claims.processId && { processId: claims.processId }),
      status: 'pending',
      createdAt: at,
      updatedAt: at,
      expiresAt: claims.expiresAt,
      uploaded: claims.uploaded ?? [],
      submitted: false,
      delivery: 'none',
      cleanedUp: false,
    };
    if (claims.dossierId && claims.processId) {
      let process;
      try {
        process = await assure.getProcess(claims.dossierId, claims.processId);
      } catch (error) {
        // Adopted and finished meanwhile (a callback, the reconciliation), its dossier deleted after delivery.
        const adopted = await store.get(claims.sessionId);
        if (adopted) return adopted;
        if (
          error instanceof ApiError ||
          (error as { code?: string }).code === 'upstream_not_found'
        ) {
          throw new ApiError(404, 'session_not_found', 'No such verification session.');
        }
        throw error;
      }
      record.provider = typeof process.provider === 'string' ? process.provider : record.provider;
      record.submitted = process.status !== 'pending';
    }
    // Never over a record another path rebuilt meanwhile: it may be delivered already.
    const { record: stored, inserted } = await insertOnce(store, record);
    if (!inserted) return stored;
    log('info', 'session.rebuilt', { sessionId: record.sessionId });
    if (record.dossierId && record.processId) {
      const current = await lifecycle.refresh(record.sessionId, 'poll').catch(() => undefined);
      if (current && current.submitted && !isFinal(current.status))
        lifecycle.watch(record.sessionId);
      return current ?? record;
    }
    return record;
  }

  /** Capture mode: the dossier and process, created at the first upload. */
  async function ensureProcess(
    record: SessionRecord,
    caller: Caller,
    consentGiven: boolean,
  ): Promise<SessionRecord> {
    if (record.processId) return record;
    const running = creating.get(record.sessionId);
    if (running) return running;
    // addImage refused a first upload without a consent that was needed, before reading its body.
    const consent = record.consent === true || consentGiven;
    const task = (async () => {
      const { dossierId } = await assure.createDossier({
        externalReference: references.seal({
          sessionId: record.sessionId,
          mode: record.mode,
          reference: record.reference,
        }),
      });
      try {
        const parameters = processParametersFor(record.mode, record.provider, {
          clientAddress: caller.clientAddress,
          consent,
        });
        const process = await assure.createProcess(dossierId, {
          provider: record.provider,
          ...(record.documentType && { documentType: record.documentType }),
          // Only providers that take it: the spec says documentCountry applies to signicatpaper.
          ...(record.documentCountry &&
            COUNTRY_PROVIDERS.has(record.provider) && {
              documentCountry: documentCountryFor(
                record.documentCountry,
                config.signicat.documentCountryFormat,
              ),
            }),
          ...(parameters && { processParameters: parameters }),
          ...legacyCallback(dossierId),
        });
        const updated = await store.update(record.sessionId, (r) => ({
          ...r,
          dossierId,
          processId: process.processId,
          ...(consent && { consent: true }),
        }));
        if (!updated) throw new ApiError(404, 'session_not_found', 'No such verification session.');
        log('info', 'session.process_created', {
          sessionId: record.sessionId,
          provider: record.provider,
        });
        return updated;
      } catch (error) {
        await compensate(record.sessionId, dossierId);
        throw error;
      }
    })();
    creating.set(record.sessionId, task);
    try {
      return await task;
    } finally {
      creating.delete(record.sessionId);
    }
  }

  /** `read` is called only once the session is known and may take this side: no byte is read before. */
  async function addImage(
    token: string,
    side: Side,
    read: () => Promise<ImageUpload>,
    caller: Caller & { consent: boolean },
  ): Promise<{ session: string }> {
    const { record: found } = await resolve(token);
    if (found.mode !== 'capture')
      throw new ApiError(409, 'wrong_mode', 'Images are uploaded here only in capture mode.');
    if (found.submitted || found.status !== 'pending') {
      throw new ApiError(
        409,
        'already_submitted',
        'This session was already submitted; images can no longer change.',
      );
    }
    if (!requiredSides(found.mode, found.documentType).includes(side)) {
      throw new ApiError(
        400,
        'side_not_expected',
        `A ${side} image is not needed for this document type.`,
      );
    }
    if (
      !found.processId &&
      needsConsent(found.mode, found.provider) &&
      !found.consent &&
      !caller.consent
    ) {
      throw new ApiError(
        400,
        'consent_required',
        "The user must agree to the provider's privacy notice before the first upload.",
      );
    }
    const image = await read();
    const record = await ensureProcess(found, caller, caller.consent);
    await assure.setImages(record.dossierId!, record.processId!, { [side]: image });
    const updated =
      (await store.update(record.sessionId, (r) =>
        r.uploaded.includes(side) ? undefined : { ...r, uploaded: [...r.uploaded, side] },
      )) ?? record;
    log('info', 'image.uploaded', {
      sessionId: record.sessionId,
      side,
      bytesLength: image.bytes.byteLength,
    });
    const issued = await tokens.issue(claimsOf(updated), new Date(updated.expiresAt));
    return { session: issued.token };
  }

  async function submit(token: string): Promise<{ status: SessionRecord['status'] }> {
    const { record } = await resolve(token);
    if (record.mode === 'redirect')
      throw new ApiError(
        409,
        'wrong_mode',
        'Redirect sessions are submitted by the hosted capture flow.',
      );
    if (record.submitted || record.status !== 'pending') return { status: record.status };
    const missing = requiredSides(record.mode, record.documentType).filter(
      (side) => !record.uploaded.includes(side),
    );
    if (missing.length || !record.processId) {
      throw new ApiError(
        409,
        'images_missing',
        `Upload these images first: ${missing.join(', ') || 'front'}.`,
      );
    }
    // Concurrent submits: the first one starts verification, the others answer with the current status.
    const claimKey = `submit:${record.sessionId}`;
    if (!(await store.claim(claimKey, SUBMIT_CLAIM_MS))) return { status: record.status };
    try {
      if (record.mode === 'provider-sdk' && SELF_STARTING_PROVIDERS.has(record.provider)) {
        await store.update(record.sessionId, (r) => ({ ...r, submitted: true }));
      } else {
        let status: string;
        try {
          // 204 (readid, webid) says nothing: verification has started, so it is processing.
          status =
            (await assure.startVerification(record.dossierId!, record.processId)).status ??
            'processing';
        } catch (error) {
          status = await startedAnyway(record, error);
        }
        await store.update(record.sessionId, (r) => ({ ...r, submitted: true }));
        await lifecycle.observe(record.sessionId, { status }, 'answer');
      }
    } finally {
      await store.release(claimKey);
    }
    lifecycle.watch(record.sessionId);
    const current = await store.get(record.sessionId);
    log('info', 'session.submitted', { sessionId: record.sessionId });
    return { status: current?.status ?? 'processing' };
  }

  /**
   * Start verification failed, or only its answer was lost: a timeout, or a retry after one, which Assure
   * refuses because the process left `pending`. Assure knows whether it started: answers the process's
   * status when it did, else rethrows; after a lost answer it keeps polling, so a late start is found.
   */
  async function startedAnyway(record: SessionRecord, error: unknown): Promise<string> {
    if (!(error instanceof AssureError)) throw error;
    const process = await assure
      .getProcess(record.dossierId!, record.processId!)
      .catch(() => undefined);
    if (process && process.status !== 'pending') {
      log('info', 'session.started_anyway', { sessionId: record.sessionId, error: error.code });
      return process.status;
    }
    const lost =
      error.code === 'upstream_timeout' ||
      (error.code === 'upstream_unavailable' && error.upstreamStatus === undefined);
    if (lost) lifecycle.watch(record.sessionId);
    throw error;
  }

  async function returnFromCapture(token: string, back: ReturnRequest): Promise<SessionRecord> {
    const { record } = await resolve(token);
    if (record.mode !== 'redirect')
      throw new ApiError(409, 'wrong_mode', 'Only redirect sessions return from the hosted flow.');
    const mismatch =
      (back.dossierId !== undefined && back.dossierId !== record.dossierId) ||
      (back.processId !== undefined &&
        record.processId !== undefined &&
        back.processId !== record.processId);
    if (mismatch) {
      log('warn', 'session.redirect_mismatch', { sessionId: record.sessionId });
      throw new ApiError(
        409,
        'redirect_mismatch',
        'The capture flow returned ids that do not belong to this session.',
      );
    }
    // The status in the address bar is the user's to edit: ask Assure instead (the refresh also finds
    // the process id through Get dossier when the start answer could not name it).
    await store.update(record.sessionId, (r) =>
      r.submitted ? undefined : { ...r, submitted: true },
    );
    const current = (await lifecycle.refresh(record.sessionId, 'answer')) ?? record;
    if (
      back.processId !== undefined &&
      current.processId !== undefined &&
      back.processId !== current.processId
    ) {
      throw new ApiError(
        409,
        'redirect_mismatch',
        'The capture flow returned ids that do not belong to this session.',
      );
    }
    if (!isFinal(current.status)) lifecycle.watch(record.sessionId);
    return current;
  }

  async function cancel(token: string): Promise<SessionRecord> {
    const { record } = await resolve(token);
    if (isFinal(record.status)) return record;
    if (record.submitted) {
      throw new ApiError(
        409,
        'already_submitted',
        'This verification is already running at Signicat and cannot be canceled.',
      );
    }
    if (record.dossierId && record.processId) {
      // First: Signicat reports the cancel as `failed`, and a callback may bring that before the answer
      // does (or instead of it, when the answer is lost); the lifecycle reads it as this cancel.
      await store.update(record.sessionId, (r) =>
        r.cancelRequested ? undefined : { ...r, cancelRequested: true },
      );
      try {
        await assure.failProcess(record.dossierId, record.processId);
      } catch (error) {
        // 409: the process left `pending`: the hosted flow finished, or an earlier cancel's answer was lost.
        if ((error as { code?: string }).code !== 'upstream_conflict') throw error;
        const process = await assure.getProcess(record.dossierId, record.processId);
        return (await lifecycle.observe(record.sessionId, process, 'answer', true)) ?? record;
      }
    }
    const canceled = await lifecycle.observe(record.sessionId, { status: 'canceled' }, 'answer');
    if (record.dossierId && !record.processId) await compensate(record.sessionId, record.dossierId);
    log('info', 'session.canceled', { sessionId: record.sessionId });
    return canceled ?? record;
  }

  return { createSession, resolve, addImage, submit, returnFromCapture, cancel };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
