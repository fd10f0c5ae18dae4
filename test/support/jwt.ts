import { createHmac, sign as signWith, type KeyObject } from 'node:crypto';

/** Compact JWTs, as an identity provider would issue them. */

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWT signed with HS256. */
export function hs256(secret: string, payload: object): string {
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A compact JWT signed with RS256 by `key`, naming `kid`. */
export function rs256(key: KeyObject, kid: string, payload: object): string {
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(payload)}`;
  return `${unsigned}.${signWith('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
}
