/**
 * A session's hand-off progress as the browser sees it: in status answers (`handoff`) and as `handoff`
 * events on the status stream, next to the unchanged `status` events. An open link past its expiry
 * reads `expired`.
 */
import type { HandoffProgress } from '../../component/contract/index.ts';
import type { SessionRecord } from '../state/store.ts';

export function handoffProgress(
  record: SessionRecord,
  now = Date.now(),
): HandoffProgress | undefined {
  const h = record.handoff;
  if (!h) return undefined;
  const state = h.state === 'open' && now >= h.expiresAt ? 'expired' : h.state;
  return { state, uploaded: [...record.uploaded] };
}

/** `{ handoff }` for a status answer, or nothing for a session that never handed off. */
export function handoffField(record: SessionRecord): { handoff?: HandoffProgress } {
  const progress = handoffProgress(record);
  return progress ? { handoff: progress } : {};
}

/** Per stream: the `handoff` SSE message for a record when its progress changed, else undefined. */
export function handoffEvents(): (
  record: SessionRecord,
) => { event: 'handoff'; data: string } | undefined {
  let last = '';
  return (record) => {
    const progress = handoffProgress(record);
    if (!progress) return undefined;
    const data = JSON.stringify(progress);
    if (data === last) return undefined;
    last = data;
    return { event: 'handoff', data };
  };
}
