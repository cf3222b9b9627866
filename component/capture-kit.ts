/**
 * @module
 * Everything the capture mode needs beyond the first screen, in one lazily loaded chunk: camera, image
 * pipeline, the issuing-country and consent steps, and the capture/review templates. The image worker
 * is a further file of its own.
 */
export { CameraController, CameraError, type Facing } from './camera/camera-controller.js';
export { processImage, ImageDecodeError } from './image/pipeline.js';
export { QualityFollower, judgeStill } from './camera/quality-follower.js';
export { renderCapture, renderReview, type CapturedImage } from './steps/capture-views.js';
export { renderHandoff, renderPhoneDone } from './steps/handoff-view.js';
export { handoffApi } from './handoff-api.js';
export { CountryPicker } from './steps/country-picker.js';
export { renderCountry } from './steps/country-view.js';
export { renderConsent } from './steps/consent-view.js';
export { setupStyles } from './steps/setup.styles.js';
