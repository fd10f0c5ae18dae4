import { createHmac, sign as signWith, type KeyObject } from 'node:crypto';

/** Compact JWTs, as an identity provider would issue them. */

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWT signed with HS256. */
export function hs256(secret: string, payload: object): string {
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A compact JWT signed with HS512 (a valid algorithm, though not the one an HS256 gateway accepts). */
export function hs512(secret: string, payload: object): string {
  const unsigned = `${part({ alg: 'HS512', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha512', secret).update(unsigned).digest('base64url')}`;
}

/** A compact JWT with `alg: none` and no signature. */
export function unsigned(payload: object): string {
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

/** A compact JWT signed with RS256 by `key`, naming `kid`. */
export function rs256(key: KeyObject, kid: string, payload: object): string {
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(payload)}`;
  return `${unsigned}.${signWith('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
}
