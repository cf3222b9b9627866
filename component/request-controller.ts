/**
 * @module
 * Cancellable network work for a Lit host: each {@link RequestController.next} aborts the request it
 * replaces, and everything is aborted when the host leaves the document.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class RequestController implements ReactiveController {
  private controller?: AbortController;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Aborts the pending request (if any) and returns the signal for the next one. */
  next(): AbortSignal {
    this.controller?.abort();
    this.controller = new AbortController();
    return this.controller.signal;
  }

  /** Aborts the pending request. */
  abort(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  hostDisconnected(): void {
    this.abort();
  }
}
