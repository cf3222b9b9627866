/**
 * @module
 * Camera access (lazily loaded): opens the rear camera for documents and the front camera for the selfie,
 * and releases every track on every exit path. A newer `start` or a `stop` while `getUserMedia` is still
 * pending wins: the late stream is stopped as soon as it arrives, so no camera light stays on.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorCode } from '../api.js';

/** Which camera to ask for. */
export type Facing = 'environment' | 'user';

/** A camera failure with a stable code. */
export class CameraError extends Error {
  override readonly name = 'CameraError';
  constructor(
    readonly code: Extract<ErrorCode, 'camera_denied' | 'camera_unavailable'>,
    message: string,
  ) {
    super(message);
  }
}

function toCameraError(error: unknown): CameraError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return new CameraError('camera_denied', 'Camera permission was denied.');
  }
  return new CameraError('camera_unavailable', `No usable camera (${name || 'unknown error'}).`);
}

function stopTracks(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((track) => track.stop());
}

export class CameraController implements ReactiveController {
  /** The open stream, if any. */
  stream: MediaStream | null = null;
  /** What the open (or opening) stream is for; lets the host avoid restarting the same camera. */
  key: string | null = null;
  private generation = 0;
  private video: HTMLVideoElement | null = null;
  private wake?: () => void;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Whether the browser can open a camera at all. */
  static get supported(): boolean {
    return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
  }

  /**
   * Opens the camera facing `facing` and plays it in `video`. Resolves `false` when a newer call or
   * {@link stop} replaced this one. Throws {@link CameraError}.
   */
  async start(video: HTMLVideoElement, facing: Facing, key: string): Promise<boolean> {
    this.stop();
    const generation = this.generation;
    this.key = key;
    if (!CameraController.supported)
      throw new CameraError('camera_unavailable', 'This browser has no camera API.');
    // The preview follows the screen: a phone held upright asks for an upright stream.
    const upright =
      typeof matchMedia === 'function' && matchMedia('(orientation: portrait)').matches;
    const ideal = {
      facingMode: { ideal: facing },
      width: { ideal: upright ? 1080 : 1920 },
      height: { ideal: upright ? 1920 : 1080 },
    };
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: ideal });
    } catch (error) {
      if (generation !== this.generation) return false;
      if ((error as Error)?.name !== 'OverconstrainedError') {
        this.key = null;
        throw toCameraError(error);
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: true });
      } catch (retryError) {
        if (generation !== this.generation) return false;
        this.key = null;
        throw toCameraError(retryError);
      }
    }
    if (generation !== this.generation) {
      stopTracks(stream); // superseded while the permission prompt was open
      return false;
    }
    this.stream = stream;
    this.video = video;
    video.muted = true;
    video.srcObject = stream;
    try {
      await video.play();
    } catch {
      /* autoplay refused: the frames still arrive; `loadeddata` below decides */
    }
    if (video.readyState < 2 && generation === this.generation) {
      await new Promise<void>((resolve) => {
        this.wake = resolve; // `stop()` resolves it, so an abandoned start never hangs
        video.addEventListener('loadeddata', () => resolve(), { once: true });
      });
      this.wake = undefined;
    }
    return generation === this.generation;
  }

  /** Takes the current frame. */
  grab(): Promise<ImageBitmap> {
    const video = this.video;
    if (!video || !this.stream || video.readyState < 2)
      return Promise.reject(new Error('The camera is not ready.'));
    return createImageBitmap(video);
  }

  /** Stops every track and detaches the preview. Safe to call at any time. */
  stop(): void {
    this.generation++;
    this.wake?.();
    stopTracks(this.stream);
    this.stream = null;
    this.key = null;
    if (this.video) this.video.srcObject = null;
    this.video = null;
  }

  hostDisconnected(): void {
    this.stop();
  }
}
