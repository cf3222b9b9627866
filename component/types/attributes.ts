/**
 * @module
 * The element's HTML attributes as framework typings see them (React props, Vue props). One list,
 * checked against custom-elements.json by test/pack/manifest-docs.test.ts.
 */
import type { DocumentKind, Mode } from '../contract/index.js';
import type { SignicatVerifyElement } from '../signicat-verify.js';

export interface SignicatVerifyAttributes {
  /** Base URL of the proxy API. Default `/api`. */
  endpoint?: string;
  /** `capture` (default), `redirect` or `provider-sdk`. */
  mode?: Mode;
  /** Assure provider to use; the proxy may refuse values it does not allow. */
  provider?: string;
  /** Preset document type; skips the choice. */
  'document-type'?: DocumentKind;
  /** ISO 3166-1 alpha-2 code of the issuing country, or `UNIV` (any passport). */
  'document-country'?: string;
  /** A session token your backend created. */
  session?: string;
  /** Set only by the proxy's hand-off page on a phone; not for host pages. */
  handoff?: string;
  /** UI language (BCP 47); default: the nearest `lang` up the tree. */
  lang?: string;
  /** Longest image edge in px. Default `2000`. */
  'max-image-edge'?: number | `${number}`;
  /** JPEG quality (0–1). Default `0.9`. */
  'jpeg-quality'?: number | `${number}`;
  /** Lets a photo file stand in for the live selfie. */
  'allow-selfie-upload'?: boolean;
  /** Where users get help, linked from the outcome and error steps. */
  'support-url'?: string;
  /** `off`: the preview guides the user but never takes the photo by itself. */
  'auto-capture'?: 'on' | 'off';
  /** Capture-quality limits over the defaults, as a JSON object. */
  'quality-thresholds'?: string;
  /** String overrides, deep-merged over the active language: a JSON object, or an object (property). */
  translations?: SignicatVerifyElement['translations'];
}
