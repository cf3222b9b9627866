/**
 * @module
 * The element's events by name, derived from the `GlobalEventHandlersEventMap` entries that events.ts
 * declares, so that every typing (React, Vue, `addEventListener`) follows the one list there.
 */
import '../events.js'; // loads the global event-map augmentation wherever these types are used

/** `'signicat-verify-status' | 'signicat-verify-complete' | …` */
export type SignicatVerifyEventName = Extract<
  keyof GlobalEventHandlersEventMap,
  `signicat-verify-${string}`
>;

/** Event name → event class, e.g. `SignicatVerifyEventMap['signicat-verify-complete']`. */
export type SignicatVerifyEventMap = {
  [K in SignicatVerifyEventName]: GlobalEventHandlersEventMap[K];
};
