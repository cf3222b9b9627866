/**
 * @module
 * Vue 3 template typings (`signicat-verify/vue`): `<signicat-verify>` in SFC templates is type-checked by
 * vue-tsc, its properties as props and its events for `@signicat-verify-*` listeners. Vue must still be
 * told that the tag is a custom element (`isCustomElement`, see docs/frameworks.md). This follows Vue's
 * guide, "Non-Vue Web Components and TypeScript".
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { SignicatVerifyElement } from '../signicat-verify.js';
import type { SignicatVerifyAttributes } from '../types/attributes.js';
import type { SignicatVerifyEventMap } from '../types/event-map.js';

/** `document-type` → `documentType`. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** The element's properties that templates may set, from its attribute list (kebab case maps to them). */
export type SignicatVerifyVueProps = Partial<
  Pick<SignicatVerifyElement, CamelCase<keyof SignicatVerifyAttributes & string>>
>;

/** What vue-tsc reads for `<signicat-verify>`: `$props` for bindings, `$emit` for listeners. */
export type SignicatVerifyVueComponent = new () => SignicatVerifyElement & {
  /** @deprecated For template type checking only; not on the element. */
  $props: HTMLAttributes & SignicatVerifyVueProps & PublicProps;
  /** @deprecated For template type checking only; not on the element. */
  $emit: EmitFn<{
    [K in keyof SignicatVerifyEventMap]: (event: SignicatVerifyEventMap[K]) => void;
  }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'signicat-verify': SignicatVerifyVueComponent;
  }
}
