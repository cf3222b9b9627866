/**
 * First contact with the Assure API itself, with a working token: document types per provider, a
 * throwaway dossier, Signicat Paper's `documentCountry` form and capture-flow URL creation. Everything
 * created here carries the external reference `signicat-verify-doctor` and is deleted again.
 */
import { ANY_PASSPORT_COUNTRY } from '../../component/contract/index.ts';
import { AssureError, type AssureClient } from '../assure/types.ts';
import type { Config } from '../config.ts';
import { toAlpha3 } from '../countries.ts';
import type { CheckResult } from './types.ts';

export const DOCTOR_REFERENCE = 'signicat-verify-doctor';

/** Providers whose document types Assure can list (the spec's `providerName` enum of getDocumentTypes). */
const LISTED_PROVIDERS = ['onfido', 'signicatpaper', 'signicatpictureid', 'signicatvideoid'];

export function configuredProviders(config: Config): string[] {
  return [
    ...new Set([
      ...config.providers.capture,
      ...config.providers.redirect,
      ...config.providers['provider-sdk'],
    ]),
  ];
}

export async function checkDocumentTypes(
  config: Config,
  assure: AssureClient,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const provider of configuredProviders(config).filter((p) => LISTED_PROVIDERS.includes(p))) {
    const id = `document-types:${provider}`;
    const title = `Document types (${provider})`;
    try {
      const types = await assure.getDocumentTypes(provider);
      const countries = new Set(types.map((t) => t.country)).size;
      results.push(
        types.length > 0
          ? {
              id,
              title,
              status: 'pass',
              detail: `${types.length} document types in ${countries} countries`,
            }
          : {
              id,
              title,
              status: 'warn',
              detail: `Signicat lists no document types for ${provider}`,
              fix: `Ask Signicat to enable ${provider} for your account, or remove it from ${modesUsing(config, provider)}.`,
            },
      );
    } catch (error) {
      results.push({
        id,
        title,
        status: 'fail',
        detail: describe(error),
        fix: apiFix(
          error,
          `${provider} is enabled for your account, or remove it from ${modesUsing(config, provider)}`,
        ),
      });
    }
  }
  return results;
}

/** A dossier marked as the doctor's, or the failed check when Signicat would not create one. */
async function throwawayDossier(
  assure: AssureClient,
  id: string,
  title: string,
): Promise<string | CheckResult> {
  try {
    return (await assure.createDossier({ externalReference: DOCTOR_REFERENCE })).dossierId;
  } catch (error) {
    return {
      id,
      title,
      status: 'fail',
      detail: `Create dossier: ${describe(error)}`,
      fix: apiFix(error, 'the API client has access to the Assure API'),
    };
  }
}

export async function checkDossier(assure: AssureClient): Promise<CheckResult> {
  const id = 'dossier';
  const title = 'Create and delete a dossier';
  const created = await throwawayDossier(assure, id, title);
  if (typeof created !== 'string') return created;
  const dossierId = created;
  try {
    await assure.deleteDossier(dossierId);
  } catch (error) {
    return {
      id,
      title,
      status: 'fail',
      detail: `created dossier ${dossierId}, but Delete dossier failed: ${describe(error)}`,
      fix: `Give the API client permission to delete dossiers (the proxy deletes each one after delivery), then delete ${dossierId} in the Signicat Dashboard.`,
    };
  }
  return { id, title, status: 'pass', detail: 'created and deleted a throwaway dossier' };
}

/**
 * Signicat Paper requires `documentCountry`; the spec says alpha-2 and shows alpha-3. A throwaway
 * process is created once with each form (a passport of the default country) to see which one
 * Create process accepts.
 */
export async function checkDocumentCountry(
  config: Config,
  assure: AssureClient,
): Promise<CheckResult> {
  const id = 'document-country';
  const title = 'Signicat Paper documentCountry form';
  if (!configuredProviders(config).includes('signicatpaper')) {
    return { id, title, status: 'skip', detail: 'signicatpaper is not configured for any mode' };
  }
  const configured = config.signicat.documentCountryFormat;
  const alpha2 =
    config.defaultDocumentCountry && config.defaultDocumentCountry !== ANY_PASSPORT_COUNTRY
      ? config.defaultDocumentCountry
      : 'NO';
  const forms = { alpha2, alpha3: toAlpha3(alpha2) ?? 'NOR' };
  const created = await throwawayDossier(assure, id, title);
  if (typeof created !== 'string') return created;
  const dossierId = created;
  const accepted: Array<'alpha2' | 'alpha3'> = [];
  const refused: string[] = [];
  let broken: unknown;
  try {
    for (const form of ['alpha2', 'alpha3'] as const) {
      try {
        await assure.createProcess(dossierId, {
          provider: 'signicatpaper',
          documentType: 'passport',
          documentCountry: forms[form],
        });
        accepted.push(form);
      } catch (error) {
        if (error instanceof AssureError && error.upstreamStatus === 400)
          refused.push(`${forms[form]} (${form}): ${error.message}`);
        else broken ??= error;
      }
    }
  } finally {
    await assure.deleteDossier(dossierId).catch(() => {});
  }
  const other = configured === 'alpha2' ? 'alpha3' : 'alpha2';
  if (broken !== undefined && accepted.length === 0) {
    return {
      id,
      title,
      status: 'fail',
      detail: `Create process (signicatpaper): ${describe(broken)}`,
      fix: apiFix(broken, 'signicatpaper is enabled for your account'),
    };
  }
  if (accepted.includes(configured)) {
    const both = accepted.length === 2;
    return {
      id,
      title,
      status: 'pass',
      detail: both
        ? `Create process accepted both ${forms.alpha2} and ${forms.alpha3}; SIGNICAT_DOCUMENT_COUNTRY_FORMAT=${configured} is fine`
        : `Create process accepted ${forms[configured]} (${configured}, as configured) and refused ${forms[other]}`,
    };
  }
  if (accepted.includes(other)) {
    return {
      id,
      title,
      status: 'fail',
      detail: `Create process refused ${forms[configured]} (${configured}, as configured) and accepted ${forms[other]} (${other})`,
      fix: `Set SIGNICAT_DOCUMENT_COUNTRY_FORMAT=${other}.`,
    };
  }
  return {
    id,
    title,
    status: 'fail',
    detail: `Create process refused both forms: ${refused.join('; ')}`,
    fix: 'Check that signicatpaper is enabled for your account and that DEFAULT_DOCUMENT_COUNTRY is a country Signicat Paper supports.',
  };
}

export async function checkCaptureFlow(
  config: Config,
  assure: AssureClient,
  publicUrl: string,
): Promise<CheckResult> {
  const id = 'capture-flow';
  const title = 'Capture-flow URL (redirect mode)';
  const provider = config.providers.redirect[0];
  if (!provider)
    return {
      id,
      title,
      status: 'skip',
      detail: 'redirect mode has no providers (REDIRECT_PROVIDERS is empty)',
    };
  const created = await throwawayDossier(assure, id, title);
  if (typeof created !== 'string') return created;
  const dossierId = created;
  try {
    const country =
      config.defaultDocumentCountry && config.defaultDocumentCountry !== ANY_PASSPORT_COUNTRY
        ? toAlpha3(config.defaultDocumentCountry)
        : undefined;
    const { url } = await assure.startCaptureFlow(dossierId, {
      provider,
      redirectUrl: `${publicUrl}/`,
      ...(country && { captureParameters: { defaultCountry: country } }),
    });
    // Only the origin: the rest of the URL opens the capture page and is as good as a password.
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return {
        id,
        title,
        status: 'fail',
        detail: 'Start capture flow answered something that is not a URL',
        fix: 'Report this to Signicat support with the time of the run.',
      };
    }
    return {
      id,
      title,
      status: 'pass',
      detail: `Signicat created a capture URL for ${provider} on ${origin}`,
    };
  } catch (error) {
    return {
      id,
      title,
      status: 'fail',
      detail: `Start capture flow (${provider}): ${describe(error)}`,
      fix: apiFix(
        error,
        `the capture service and ${provider} are enabled for your account, and PUBLIC_URL is a valid https origin (it is the redirectUrl)`,
      ),
    };
  } finally {
    await assure.deleteDossier(dossierId).catch(() => {});
  }
}

function modesUsing(config: Config, provider: string): string {
  const names = {
    capture: 'CAPTURE_PROVIDERS',
    redirect: 'REDIRECT_PROVIDERS',
    'provider-sdk': 'PROVIDER_SDK_PROVIDERS',
  } as const;
  return (Object.keys(names) as Array<keyof typeof names>)
    .filter((mode) => config.providers[mode].includes(provider))
    .map((mode) => names[mode])
    .join(' and ');
}

/** AssureError messages name no secret or token (server/assure/errors.ts); anything else is summarised. */
export function describe(error: unknown): string {
  if (error instanceof AssureError) {
    return `${error.message}${error.upstreamStatus !== undefined ? ` (HTTP ${error.upstreamStatus})` : ''}${error.traceId ? `, traceId ${error.traceId}` : ''}`;
  }
  return error instanceof Error ? error.name : 'unexpected failure';
}

function apiFix(error: unknown, check: string): string {
  if (error instanceof AssureError) {
    if (error.upstreamStatus === 401 || error.upstreamStatus === 403)
      return `The token was refused for this call: check that ${check} (Signicat Dashboard → API clients → permissions).`;
    if (error.transient)
      return 'Signicat did not answer in time or is failing: check SIGNICAT_API_URL and the network, then run the doctor again.';
  }
  return `Check that ${check}.`;
}
