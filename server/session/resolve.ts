/**
 * Turns the session token in a URL into the session's record. Expired tokens get 401 `session_expired`
 * (the element offers a fresh start); anything else unknown gets 404. A record the store lost (restart
 * of an in-memory proxy) is rebuilt from Assure, since the token names the dossier and process.
 */
import { ApiError } from '../errors.ts';
import type { ProxyContext } from '../context.ts';
import type { SessionRecord } from '../state/store.ts';
import type { SessionClaims } from './token.ts';

export async function resolveSession(ctx: ProxyContext, token: string): Promise<{ claims: SessionClaims; record: SessionRecord }> {
  const claims = await ctx.tokens.verify(token);
  if (claims === 'expired') throw new ApiError(401, 'session_expired', 'This verification session has expired; start a new one.');
  if (claims === 'invalid') throw new ApiError(404, 'session_not_found', 'No such verification session.');

  let record = await ctx.store.get(claims.processId);
  if (!record) record = await rebuild(ctx, claims);
  return { claims, record };
}

async function rebuild(ctx: ProxyContext, claims: SessionClaims): Promise<SessionRecord> {
  let process;
  try {
    process = await ctx.assure.getProcess(claims.dossierId, claims.processId);
  } catch {
    throw new ApiError(404, 'session_not_found', 'No such verification session.');
  }
  const at = new Date().toISOString();
  const record: SessionRecord = {
    processId: claims.processId,
    dossierId: claims.dossierId,
    mode: claims.mode,
    provider: process.provider,
    status: process.status,
    createdAt: process.createdAt ?? at,
    updatedAt: at,
    expiresAt: Date.now() + ctx.config.sessionTtlSeconds * 1000,
    uploaded: [],
    submitted: process.status !== 'pending',
    // Unknown after a restart; the lifecycle sets it when it sees the final status itself.
    delivery: 'none',
    cleanedUp: false,
  };
  await ctx.store.insert(record);
  ctx.log('info', 'session.rebuilt', { processId: claims.processId });
  if (record.submitted) ctx.lifecycle.watch(record.processId);
  return record;
}
