/**
 * @module
 * The views never on the first screen (document type, upload, waiting, provider window, redirect,
 * canceling, outcome) and the bar above the steps (Back, "Step n of m", Cancel),
 * in one lazily loaded chunk: the element fetches it once the intro is shown, so it is there long before
 * the user needs it, without counting against the first screen's budget.
 */
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
