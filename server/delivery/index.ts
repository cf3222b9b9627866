/** Result delivery: signed webhooks to the integrator's backend and a local zip archive. */
export { createArchive, type ArchiveOptions, type ArchiveWriter } from './archive.ts';
export {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  type VerifyOptions,
} from './signature.ts';
export type { ResultPayload, ResultSink } from './types.ts';
export {
  createWebhookDelivery,
  DeliveryError,
  type DeliveryLogEvent,
  type WebhookDeliveryOptions,
} from './webhook.ts';
