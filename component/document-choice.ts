/**
 * @module
 * What the user is asked before a capture session exists: the issuing country (for providers that need
 * Signicat Paper's `documentCountry`) and the document type. The flow (flow/machine.ts) reads
 * `GET /config` and `GET /document-types`; the pure `planDocumentChoice` decides from them.
 */
import {
  ANY_PASSPORT_COUNTRY,
  DOCUMENT_KINDS,
  isDocumentKind,
  type ClientConfigResponse,
  type DocumentKind,
  type DocumentTypeEntry,
} from './contract/index.js';

/** One issuing country the user may pick, with the document kinds Assure lists for it. */
export interface CountryOffer {
  /** ISO 3166-1 alpha-2. */
  code: string;
  /** The proxy's English name: the fallback when the browser has no localised one. */
  apiName: string;
  kinds: DocumentKind[];
}

export interface DocumentChoice {
  /** Ask "Which country issued your document?" first. */
  askCountry: boolean;
  /** With `askCountry`: the countries to offer, in no particular order. */
  countries: CountryOffer[];
  /** With `askCountry`: the preselected country, when one of the offers. */
  defaultCountry?: string;
  /** A country decided without asking (`UNIV`: any passport); sent as `documentCountry`. */
  fixedCountry?: string;
  /** The kinds to offer when no country is asked. */
  kinds: DocumentKind[];
}

export interface ChoiceInput {
  /** The `document-type` attribute. */
  documentType?: string;
  /** The `document-country` attribute. */
  documentCountry?: string;
  /** The browser's language tag, for the locale's region. */
  language?: string;
}

/** The region of a language tag (`nb` → `NO`, `en-GB` → `GB`), or `undefined`. */
export function localeRegion(language: string | undefined): string | undefined {
  if (!language) return undefined;
  try {
    return new Intl.Locale(language).maximize().region;
  } catch {
    return undefined;
  }
}

function inOrder(kinds: Iterable<DocumentKind>): DocumentKind[] {
  const set = new Set(kinds);
  return DOCUMENT_KINDS.filter((kind) => set.has(kind));
}

/** Decides what to ask from the proxy's config (absent: it could not be read) and document-type list. */
export function planDocumentChoice(
  config: ClientConfigResponse | undefined,
  entries: readonly DocumentTypeEntry[],
  input: ChoiceInput,
): DocumentChoice {
  const allowed = inOrder(config?.documentTypes?.filter(isDocumentKind) ?? DOCUMENT_KINDS);
  const listed = inOrder(entries.map((e) => e.type).filter(isDocumentKind));
  const kinds = allowed.filter((kind) => listed.includes(kind));
  const plain: DocumentChoice = {
    askCountry: false,
    countries: [],
    kinds: kinds.length ? kinds : allowed,
  };
  if (!config?.countryRequired) return plain;

  const preset = input.documentCountry?.trim().toUpperCase();
  if (preset === ANY_PASSPORT_COUNTRY)
    return { ...plain, fixedCountry: ANY_PASSPORT_COUNTRY, kinds: ['passport'] };

  const presetKind = isDocumentKind(input.documentType) ? input.documentType : undefined;
  const byCode = new Map<string, CountryOffer>();
  for (const entry of entries) {
    const code = entry.countryCode?.toUpperCase();
    if (
      !code ||
      !/^[A-Z]{2}$/.test(code) ||
      !isDocumentKind(entry.type) ||
      !allowed.includes(entry.type)
    )
      continue;
    if (presetKind && entry.type !== presetKind) continue;
    const offer = byCode.get(code) ?? { code, apiName: entry.countryName || code, kinds: [] };
    if (!offer.kinds.includes(entry.type)) offer.kinds = inOrder([...offer.kinds, entry.type]);
    byCode.set(code, offer);
  }
  // No list to offer (the call failed, or nothing matches): the proxy falls back to its own default.
  if (!byCode.size) return plain;
  const candidates = [preset, config.defaultCountry?.toUpperCase(), localeRegion(input.language)];
  const defaultCountry = candidates.find((code) => code !== undefined && byCode.has(code));
  return {
    askCountry: true,
    countries: [...byCode.values()],
    kinds: plain.kinds,
    ...(defaultCountry && { defaultCountry }),
  };
}
