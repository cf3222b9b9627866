/**
 * Lets only this machine through: the TCP peer must be a loopback address, and no forwarding header
 * may name anyone else (a reverse proxy on the same host would otherwise make every visitor look
 * local). Guards the emulator's control routes, which decide verification outcomes in sandbox mode.
 */
import type { MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';
import { isLoopbackAddress } from '../security.ts';
import { socketAddress } from './client-address.ts';

const FORWARDED_FOR = /for="?\[?([^\]";,]+)/gi;

export function loopbackOnly(message = 'Only reachable from this machine.'): MiddlewareHandler {
  return async function loopbackOnly(c, next) {
    const socket = socketAddress(c);
    if (socket && isLoopbackAddress(socket) && forwardedAreLoopback(c.req.raw.headers))
      return next();
    return c.json(errorBody('loopback_only', message), 403);
  };
}

function forwardedAreLoopback(headers: Headers): boolean {
  const claimed: string[] = [];
  for (const name of ['X-Forwarded-For', 'X-Real-IP']) {
    for (const entry of (headers.get(name) ?? '').split(','))
      if (entry.trim()) claimed.push(entry.trim());
  }
  for (const match of (headers.get('Forwarded') ?? '').matchAll(FORWARDED_FOR))
    claimed.push(match[1]!.trim());
  return claimed.every((address) =>
    isLoopbackAddress(
      address.replace(/^\[|\](:\d+)?$/g, '').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1'),
    ),
  );
}
