import { createHmac } from 'node:crypto';

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact HS256 JWT for `sub`, valid for `hours` from `now` (seconds since the epoch). */
export function devToken(secret: string, sub: string, now: number, hours = 12): string {
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, iat: now, exp: now + hours * 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
