/**
 * API keys: when API_KEYS is set every request and socket needs one (header `X-API-Key`, or
 * `?api_key=` for WebSockets, which browsers open without headers), and each key sees only its own
 * simulations and files. Without keys everything belongs to one owner, "public".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

export class ApiKeys {
  constructor(private readonly keys: string[]) {}

  /** The owner a key stands for; undefined for a missing or unknown key when keys are required. */
  ownerOf(key: string | undefined): string | undefined {
    if (this.keys.length === 0) return 'public';
    if (!key || !this.keys.some((k) => sameText(k, key))) return undefined;
    return createHash('sha256').update(key).digest('hex').slice(0, 24);
  }

  keyOf(request: IncomingMessage): string | undefined {
    const header = request.headers['x-api-key'];
    if (typeof header === 'string' && header) return header;
    return new URL(request.url ?? '/', 'http://x').searchParams.get('api_key') ?? undefined;
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const owner = this.ownerOf(this.keyOf(req));
      if (!owner)
        return next(new ApiError(401, 'unauthorized', 'a valid API key is required (X-API-Key header)'));
      res.locals.owner = owner;
      next();
    };
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function originAllowed(origin: string | undefined, allowed: string[]): boolean {
  return origin === undefined || allowed.includes('*') || allowed.includes(origin);
}

/** How long a browser may reuse a CORS preflight's answer (Chromium caps it at 2 hours). */
export const PREFLIGHT_CACHE_SECONDS = 600;

/** CORS for the allow-listed origins only; other origins get no CORS headers (browsers then block). */
export function cors(allowed: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && originAllowed(origin, allowed)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-API-Key, Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      // The pane's origin is never the service's: without this, the browser asks again before each
      // request after 5 s, a round trip per run that live mode's edit-to-histogram time pays.
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_CACHE_SECONDS));
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
}
