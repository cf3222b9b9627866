/**
 * The document types a user may choose, per provider: Assure's list, cached for
 * DOCUMENT_TYPES_CACHE_SECONDS and narrowed to the kinds the operator allows. `type` is normalised to
 * the ids `POST /api/sessions` takes (passport, identityCard, driversLicense, residencePermit).
 */
import { Hono } from 'hono';
import type { DocumentTypeId } from '../config.ts';
import type { ProxyContext } from '../context.ts';
import type { DocumentType } from '../assure/types.ts';
import { ApiError } from '../errors.ts';

export interface PublicDocumentType {
  id: number | string;
  country: string;
  countryName: string;
  type: DocumentTypeId;
  subType?: string;
}

export function documentKind(assureType: string): DocumentTypeId | undefined {
  const t = assureType.toLowerCase();
  if (t.includes('passport')) return 'passport';
  if (t.includes('driv')) return 'driversLicense';
  if (t.includes('residen')) return 'residencePermit';
  if (t.includes('identity') || t.includes('id card') || t.includes('national')) return 'identityCard';
  return undefined;
}

export function documentTypeRoutes(ctx: ProxyContext) {
  const app = new Hono();
  const cache = new Map<string, { until: number; list: PublicDocumentType[] }>();
  const inFlight = new Map<string, Promise<PublicDocumentType[]>>();
  const allProviders = new Set(Object.values(ctx.config.providers).flat());

  async function load(provider: string): Promise<PublicDocumentType[]> {
    const cached = cache.get(provider);
    if (cached && cached.until > Date.now()) return cached.list;
    let pending = inFlight.get(provider);
    if (!pending) {
      pending = ctx.assure
        .getDocumentTypes(provider)
        .then((types) => {
          const list = types.flatMap((t: DocumentType) => {
            const kind = documentKind(t.type);
            if (!kind || !ctx.config.documentTypes.includes(kind)) return [];
            return [{ id: t.id, country: t.country, countryName: t.countryName, type: kind, ...(t.subType && { subType: t.subType }) }];
          });
          cache.set(provider, { until: Date.now() + ctx.config.documentTypesCacheSeconds * 1000, list });
          return list;
        })
        .finally(() => inFlight.delete(provider));
      inFlight.set(provider, pending);
    }
    return pending;
  }

  app.get('/', async (c) => {
    const provider = c.req.query('provider') ?? ctx.config.providers.capture[0] ?? [...allProviders][0];
    if (!provider || !allProviders.has(provider)) {
      throw new ApiError(400, 'provider_not_allowed', 'That provider is not allowed on this server.');
    }
    const list = await load(provider);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(list);
  });

  return app;
}
