/**
 * @module
 * "Step 2 of 4": where a capture-mode state stands among the steps the user acts in before submitting
 * (the document choice when the user makes it, one step per side, the review). The sides come from the
 * session when it exists, else from the contract's rule for the document type (`requiredSides`).
 */
import { isDocumentKind, requiredSides } from '../contract/index.js';
import type { FlowState } from '../flow/types.js';

export interface StepPosition {
  /** 1-based. */
  step: number;
  of: number;
}

/** The state's place in the numbered steps, or `null` (intro, after submit, other modes). */
export function stepPosition(s: FlowState): StepPosition | null {
  if (s.cfg.mode !== 'capture') return null;
  // The choice counts as a step only when the user makes it (no `document-type` attribute).
  const choice = s.cfg.documentType ? 0 : 1;
  const session = 'work' in s ? s.work.session : undefined;
  const kind = session?.documentType ?? s.cfg.documentType;
  const sides = session?.sides.length
    ? session.sides
    : requiredSides('capture', isDocumentKind(kind) ? kind : undefined);
  const of = choice + sides.length + 1; // + the review
  switch (s.step) {
    case 'country':
    case 'document':
      return choice ? { step: 1, of } : null;
    case 'consent':
      return { step: choice + 1, of };
    case 'capture':
    case 'handoff': // the side being captured on a phone
      return { step: choice + 1 + Math.max(0, sides.indexOf(s.side)), of };
    case 'review':
      return { step: of, of };
    default:
      return null;
  }
}
