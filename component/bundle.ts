/**
 * @module
 * Entry of the script-tag build (`dist/cdn/signicat-verify.js`, Lit inlined): registers the element and
 * re-exports the public API for `import { … } from '…/signicat-verify.js'`.
 */
import './define.js';

export * from './index.js';
