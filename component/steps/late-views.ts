/**
 * @module
 * The views never on the first screen (document type, upload, waiting, provider window, redirect,
 * canceling, outcome), the bar above the steps (Back, "Step n of m", Cancel) and the flow's
 * transitions from the intro's Start on (../flow/machine.ts), in one lazily loaded chunk: the flow
 * controller fetches it after the first render, so it is there long before the user needs it, without
 * counting against the first screen's budget.
 */
export { later, resumed } from '../flow/machine.js';
export { renderBar } from './bar.js';
export { renderDocument } from './document-view.js';
export { renderOutcome } from './outcome-view.js';
export { renderUpload } from './upload-view.js';
export {
  renderCanceling,
  renderProvider,
  renderRedirecting,
  renderWaiting,
} from './waiting-view.js';
