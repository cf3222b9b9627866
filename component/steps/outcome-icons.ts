/**
 * @module
 * One small inline icon per outcome, so no two outcomes look alike (colour alone is not enough): a tick
 * (accepted), a cross (rejected), a question mark (inconclusive), a warning triangle (failed: our side)
 * and a stop sign bar (canceled). Stroked with `currentColor`; the outcome's colour is set in CSS.
 */
import { svg, type SVGTemplateResult } from 'lit';
import type { FinalStatus } from '../contract/index.js';

const circle = svg`<circle cx="12" cy="12" r="10" />`;

export const OUTCOME_ICONS: Record<FinalStatus, SVGTemplateResult> = {
  accepted: svg`${circle}<path d="M7 12.5l3.5 3.5L17 9" />`,
  rejected: svg`${circle}<path d="M8.5 8.5l7 7M15.5 8.5l-7 7" />`,
  inconclusive: svg`${circle}<path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6M12 17v.5" />`,
  failed: svg`<path d="M12 3L2.5 20h19z" /><path d="M12 10v4.5M12 17v.5" />`,
  canceled: svg`${circle}<path d="M8 12h8" />`,
};
