/**
 * @module
 * JSX typings for React 19 (`signicat-verify/react`): `<signicat-verify>` takes its attributes as props
 * and its events as `on<event-name>` props, which React 19 adds as listeners on the element
 * (`onsignicat-verify-complete={(e) => e.detail.status}`). Load it once in the app:
 * `import 'signicat-verify/react';` (also registers the element) or `import type {} from 'signicat-verify/react';`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { SignicatVerifyElement } from '../signicat-verify.js';
import type { SignicatVerifyAttributes } from '../types/attributes.js';
import type { SignicatVerifyEventMap, SignicatVerifyEventName } from '../types/event-map.js';

export type { SignicatVerifyAttributes, SignicatVerifyEventMap };

/** `onsignicat-verify-status`, `onsignicat-verify-complete`, …, each with its event class. */
export type SignicatVerifyReactEvents = {
  [K in SignicatVerifyEventName as `on${K}`]?: (event: SignicatVerifyEventMap[K]) => void;
};

/** Props of `<signicat-verify>` in React JSX. */
export type SignicatVerifyReactProps = DetailedHTMLProps<
  HTMLAttributes<SignicatVerifyElement>,
  SignicatVerifyElement
> &
  SignicatVerifyAttributes &
  SignicatVerifyReactEvents;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'signicat-verify': SignicatVerifyReactProps;
    }
  }
}
