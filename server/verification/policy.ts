/**
 * What a session request may ask for, decided before anything reaches Signicat: the mode's providers,
 * the document kind, the issuing country Signicat Paper needs, the redirect and page URLs, and the
 * provider parameters Onfido needs (location, privacy consent, web-SDK referrer). Pure functions of the
 * configuration and the request; every refusal is a 400 with a stable code.
 */
import {
  ANY_PASSPORT_COUNTRY,
  type CreateSessionRequest,
  type DocumentKind,
  type Mode,
} from '../../component/contract/index.ts';
import type { ProcessParameters } from '../assure/types.ts';
import type { Config } from '../config.ts';
import { isDocumentCountry } from '../countries.ts';
import { ApiError } from '../errors.ts';

/** Providers whose process needs `documentCountry` (the spec: "required" for signicatpaper). */
export const COUNTRY_PROVIDERS: ReadonlySet<string> = new Set(['signicatpaper']);
/** Providers that start verifying by themselves once their SDK has uploaded (Assure step E is skipped). */
export const SELF_STARTING_PROVIDERS: ReadonlySet<string> = new Set(['readid']);
/** Onfido process types that compare a selfie and so need the privacy consent (spec: `Consents`). */
const ONFIDO_CONSENT_TYPES = new Set([undefined, 'documentSelfie', 'documentVideo']);

export interface SessionPlan {
  mode: Mode;
  provider: string;
  documentType?: DocumentKind;
  /** Alpha-2 or UNIV, as the session asked for it. */
  documentCountry?: string;
  redirectUrl?: string;
  pageUrl?: string;
  consent: boolean;
  consentRequired: boolean;
}

export function planSession(
  config: Config,
  body: CreateSessionRequest,
  allowedOrigins: readonly string[],
): SessionPlan {
  const mode = body.mode ?? 'capture';
  const allowedProviders = config.providers[mode];
  if (!allowedProviders.length)
    throw new ApiError(400, 'mode_not_allowed', `Mode "${mode}" is not enabled on this server.`);
  const provider = body.provider ?? allowedProviders[0]!;
  if (!allowedProviders.includes(provider)) {
    throw new ApiError(
      400,
      'provider_not_allowed',
      `Provider "${provider}" is not allowed for mode "${mode}".`,
    );
  }
  if (body.documentType !== undefined && !config.documentTypes.includes(body.documentType)) {
    throw new ApiError(
      400,
      'document_type_not_allowed',
      `Document type "${body.documentType}" is not allowed.`,
    );
  }
  const documentType =
    body.documentType ??
    (mode === 'capture'
      ? config.documentTypes.includes('passport')
        ? 'passport'
        : config.documentTypes[0]
      : undefined);

  let redirectUrl: string | undefined;
  if (mode === 'redirect') {
    if (body.redirectUrl === undefined)
      throw new ApiError(400, 'redirect_url_required', 'Redirect mode needs "redirectUrl".');
    redirectUrl = checkUrlOnAllowedOrigin(
      body.redirectUrl,
      allowedOrigins,
      'redirect_url_not_allowed',
      'redirectUrl',
    );
  } else if (body.redirectUrl !== undefined) {
    throw new ApiError(400, 'invalid_request', '"redirectUrl" is only used in redirect mode.');
  }
  const pageUrl =
    body.pageUrl === undefined
      ? undefined
      : checkUrlOnAllowedOrigin(body.pageUrl, allowedOrigins, 'page_url_not_allowed', 'pageUrl');

  const documentCountry = chooseCountry(config, provider, mode, documentType, body.documentCountry);
  const consent = body.consent === true;
  return {
    mode,
    provider,
    ...(documentType && { documentType }),
    ...(documentCountry && { documentCountry }),
    ...(redirectUrl && { redirectUrl }),
    ...(pageUrl && { pageUrl }),
    consent,
    consentRequired: needsConsent(mode, provider) && !consent,
  };
}

function chooseCountry(
  config: Config,
  provider: string,
  mode: Mode,
  documentType: DocumentKind | undefined,
  asked: string | undefined,
): string | undefined {
  if (asked !== undefined) {
    const code = asked.toUpperCase();
    if (!isDocumentCountry(code)) {
      throw new ApiError(
        400,
        'invalid_document_country',
        '"documentCountry" must be an ISO 3166-1 alpha-2 code (e.g. NO) or UNIV.',
      );
    }
    if (code === ANY_PASSPORT_COUNTRY && documentType !== 'passport' && mode === 'capture') {
      throw new ApiError(400, 'invalid_document_country', '"UNIV" is only for passports.');
    }
    return code;
  }
  if (!COUNTRY_PROVIDERS.has(provider) || mode === 'redirect') return config.defaultDocumentCountry;
  if (config.defaultDocumentCountry) return config.defaultDocumentCountry;
  if (documentType === 'passport') return ANY_PASSPORT_COUNTRY;
  throw new ApiError(
    400,
    'document_country_required',
    `Provider "${provider}" needs "documentCountry" (the ISO 3166-1 alpha-2 code of the issuing country); or set DEFAULT_DOCUMENT_COUNTRY.`,
  );
}

/**
 * Onfido with Set images (capture mode) needs the privacy consent when the user is in the USA or the
 * location is unknown. The proxy has no geolocation, so it treats every location as unknown and asks.
 */
export function needsConsent(mode: Mode, provider: string, processType?: string): boolean {
  return mode === 'capture' && provider === 'onfido' && ONFIDO_CONSENT_TYPES.has(processType);
}

/** `processParameters` for Create process (spec `ProcessParameters`); undefined when the provider needs none. */
export function processParametersFor(
  mode: Mode,
  provider: string,
  context: { clientAddress?: string; consent: boolean; referrer?: string },
): ProcessParameters | undefined {
  if (provider !== 'onfido') return undefined;
  if (mode === 'provider-sdk') return context.referrer ? { referrer: context.referrer } : undefined;
  return {
    location: context.clientAddress ? { ipAddress: context.clientAddress } : {},
    ...(context.consent && { consents: { privacy: true } }),
  };
}

/** An absolute http(s) URL without credentials on one of the allowed origins. */
export function checkUrlOnAllowedOrigin(
  raw: string,
  allowedOrigins: readonly string[],
  code: string,
  field: string,
): string {
  let url: URL;
  try {
    url = new URL(raw); // no base: relative and protocol-relative URLs fail here
  } catch {
    throw new ApiError(
      400,
      code,
      `"${field}" must be an absolute http(s) URL on an allowed origin.`,
    );
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    !allowedOrigins.includes(url.origin)
  ) {
    throw new ApiError(
      400,
      code,
      `"${field}" must be an absolute http(s) URL on an allowed origin.`,
    );
  }
  return url.href;
}
