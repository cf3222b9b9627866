/**
 * The document types a user may choose, per provider: Assure's list (Get document types), cached for
 * DOCUMENT_TYPES_CACHE_SECONDS, narrowed to the kinds the operator allows, with each country given in
 * both ISO forms (Assure's alpha-3 `country`, and the alpha-2 `countryCode` that `documentCountry`
 * takes). Also `GET /api/config`: what the element needs to know before it creates a session.
 */
import { Hono } from 'hono';
import {
  isDocumentKind,
  MODES,
  type ClientConfigResponse,
  type DocumentTypeEntry,
  type Mode,
} from '../../component/contract/index.ts';
import type { ProxyContext } from '../context.ts';
import { toAlpha2 } from '../countries.ts';
import { ApiError } from '../errors.ts';
import { COUNTRY_PROVIDERS } from '../verification/policy.ts';

export function documentTypeRoutes(ctx: ProxyContext) {
  const app = new Hono();
  const cache = new Map<string, { until: number; list: DocumentTypeEntry[] }>();
  const inFlight = new Map<string, Promise<DocumentTypeEntry[]>>();
  const allProviders = new Set(Object.values(ctx.config.providers).flat());

  async function load(provider: string): Promise<DocumentTypeEntry[]> {
    const cached = cache.get(provider);
    if (cached && cached.until > Date.now()) return cached.list;
    let pending = inFlight.get(provider);
    if (!pending) {
      pending = ctx.assure
        .getDocumentTypes(provider)
        .then((types) => {
          const list = types.flatMap((t): DocumentTypeEntry[] => {
            const countryCode = toAlpha2(t.country);
            if (
              !isDocumentKind(t.type) ||
              !ctx.config.documentTypes.includes(t.type) ||
              !countryCode
            )
              return [];
            return [
              {
                country: t.country,
                countryCode,
                countryName: t.countryName,
                type: t.type,
                ...(t.subType && { subType: t.subType }),
                ...(t.id !== undefined && { id: t.id }),
              },
            ];
          });
          cache.set(provider, {
            until: Date.now() + ctx.config.documentTypesCacheSeconds * 1000,
            list,
          });
          return list;
        })
        .finally(() => inFlight.delete(provider));
      inFlight.set(provider, pending);
    }
    return pending;
  }

  app.get('/document-types', async (c) => {
    const provider =
      c.req.query('provider') ?? ctx.config.providers.capture[0] ?? [...allProviders][0];
    if (!provider || !allProviders.has(provider)) {
      throw new ApiError(
        400,
        'provider_not_allowed',
        'That provider is not allowed on this server.',
      );
    }
    const list = await load(provider);
    return c.json(list);
  });

  app.get('/config', (c) => {
    const mode = (c.req.query('mode') ?? 'capture') as Mode;
    if (!(MODES as readonly string[]).includes(mode))
      throw new ApiError(400, 'invalid_request', 'Unknown mode.');
    const providers = ctx.config.providers[mode];
    const provider = c.req.query('provider') ?? providers[0];
    if (!provider || !providers.includes(provider)) {
      throw new ApiError(
        400,
        'provider_not_allowed',
        `That provider is not allowed for mode "${mode}".`,
      );
    }
    const answer: ClientConfigResponse = {
      mode,
      provider,
      documentTypes: [...ctx.config.documentTypes],
      countryRequired: mode === 'capture' && COUNTRY_PROVIDERS.has(provider),
      defaultCountry: ctx.config.defaultDocumentCountry ?? null,
    };
    return c.json(answer);
  });

  return app;
}
