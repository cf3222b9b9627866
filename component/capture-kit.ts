/**
 * @module
 * Everything the capture mode needs beyond the first screen, in one lazily loaded chunk: camera, image
 * pipeline and the capture/review templates. The image worker is a further file of its own.
 */
export { CameraController, CameraError, type Facing } from './camera/camera-controller.js';
export { processImage, ImageDecodeError } from './image/pipeline.js';
export { renderCapture, renderReview, type CapturedImage } from './steps/capture-views.js';
