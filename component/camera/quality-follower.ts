/**
 * @module
 * The capture-quality glue the flow controller calls (in the capture chunk, so the first screen carries
 * none of it): keeps one {@link QualityLoop} running while the state shows a live preview with nothing
 * taken yet, and judges processed stills.
 */
import type { FlowEvent, FlowState } from '../flow/types.js';
import { analyseImage } from '../image/pipeline.js';
import { parseQualityThresholds, type Verdict } from '../image/quality.js';
import { QualityLoop } from './quality-loop.js';

/** The element's quality inputs. */
export interface QualityInputs {
  /** `off`: hints only. */
  autoCapture?: string;
  qualityThresholds?: unknown;
}

export class QualityFollower {
  private current?: { side: string; video: HTMLVideoElement; loop: QualityLoop };

  constructor(private readonly dispatch: (event: FlowEvent) => void) {}

  /**
   * After each render: starts, keeps or stops the loop. `streaming`: the camera's stream is open.
   * `root` holds the preview's `<video>` and `.guide`.
   */
  follow(s: FlowState, root: ParentNode, streaming: boolean, inputs: QualityInputs): void {
    const video = root.querySelector('video');
    const live =
      s.step === 'capture' &&
      s.source === 'camera' &&
      s.cameraReady &&
      !s.processing &&
      !s.work.images[s.side] &&
      streaming &&
      !!video;
    if (live && this.current?.side === s.side && this.current.video === video) return;
    this.stop();
    if (!live) return;
    const { side } = s;
    const loop = new QualityLoop({
      video,
      guide: () => root.querySelector('.guide'),
      thresholds: parseQualityThresholds(inputs.qualityThresholds),
      // No face detection: the selfie gets hints only.
      autoCapture: inputs.autoCapture !== 'off' && side !== 'selfie',
      analyse: analyseImage,
      onHint: (hint) => this.dispatch({ type: 'quality', side, hint }),
      onCapture: (frame) => this.dispatch({ type: 'frame', side, frame }),
    });
    this.current = { side, video, loop };
  }

  stop(): void {
    this.current?.loop.stop();
    this.current = undefined;
  }
}

/**
 * The verdict of a processed still; none when the analysis fails (the still stays usable). A still
 * scaled down to `max-image-edge` on purpose is not "too small".
 */
export async function judgeStill(
  image: { blob: Blob; width: number; height: number },
  inputs: QualityInputs,
  maxEdge: number,
): Promise<Verdict | undefined> {
  const t = parseQualityThresholds(inputs.qualityThresholds);
  const { width, height } = image;
  try {
    const { quality } = await analyseImage({
      source: image.blob,
      thresholds: { ...t, minEdge: Math.min(t.minEdge, maxEdge) },
      still: { width, height },
    });
    return quality.verdict;
  } catch {
    return undefined;
  }
}
