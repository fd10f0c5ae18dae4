import { connect } from 'node:net';

/**
 * Unusual and hostile requests a client can send a gateway, as raw bytes, and
 * what the generated gateways answer: the Node.js one (`node`) and nginx
 * (`nginx`, null where the case does not apply: nginx verifies no tokens).
 * Shared by test/gateway.e2e.test.ts and test/gateway-nginx.e2e.test.ts.
 */

export interface HostileCase {
  readonly name: string;
  /** The request's lines up to the blank line, without it; `auth` is an Authorization header line (or nothing). */
  readonly head: (auth: string) => string;
  /** Body parts, sent `gapMs` apart. */
  readonly body?: readonly string[];
  readonly gapMs?: number;
  readonly node: Expected;
  readonly nginx: Expected | null;
}

export interface Expected {
  /** 0: the connection is closed without an answer. */
  readonly status: number;
  /** Matched against the `message` of the JSON body. */
  readonly message?: RegExp;
}

/** A token signed the way the case needs, by the gateway's own key. */
export interface Tokens {
  readonly hs512: string;
  readonly withoutExp: string;
  readonly unsigned: string;
}

const bigBody = 'x'.repeat(5 * 1024 * 1024);
/** The same 5 MB in 64 KB chunks of chunked transfer encoding. */
const bigChunked = [...Array.from({ length: 80 }, () => `10000\r\n${'x'.repeat(0x10000)}\r\n`), '0\r\n\r\n'];

/** The cases; `prefix` is a default route of the gateway under test (`/order`), whose service answers 200. */
export function hostileCases(prefix: string, tokens: Tokens): HostileCase[] {
  const bearer = (token: string) => `Authorization: Bearer ${token}\r\n`;
  const get = (target: string, extra = '') => (auth: string) => `GET ${target} HTTP/1.1\r\nHost: gateway\r\n${auth}${extra}Connection: close\r\n`;
  const post = (headers: string) => (auth: string) => `POST ${prefix}/things HTTP/1.1\r\nHost: gateway\r\n${auth}Content-Type: application/json\r\n${headers}Connection: close\r\n`;
  return [
    { name: 'a plain GET (the baseline)', head: get(`${prefix}/things`), node: { status: 200 }, nginx: { status: 200 } },
    {
      name: 'Expect: 100-continue: the body reaches the service, the header does not',
      head: post('Content-Length: 2\r\nExpect: 100-continue\r\n'),
      body: ['{}'],
      node: { status: 200 },
      nginx: { status: 200 },
    },
    {
      name: 'a 5 MB body: 413 before it reaches the service',
      head: post(`Content-Length: ${bigBody.length}\r\n`),
      body: [bigBody],
      node: { status: 413, message: /larger than 1048576 bytes/ },
      nginx: { status: 413, message: /larger than 1048576 bytes/ },
    },
    {
      name: 'a 5 MB chunked body (no Content-Length): 413 once it passes the limit',
      head: post('Transfer-Encoding: chunked\r\n'),
      body: bigChunked,
      node: { status: 413, message: /larger than 1048576 bytes/ },
      nginx: { status: 413, message: /larger than 1048576 bytes/ },
    },
    {
      name: 'a token signed with HS512 by the right key: 401, not 500',
      head: (_auth) => get(`${prefix}/things`)(bearer(tokens.hs512)),
      node: { status: 401, message: /algorithm/ },
      nginx: null,
    },
    { name: 'a token without exp: 401', head: (_auth) => get(`${prefix}/things`)(bearer(tokens.withoutExp)), node: { status: 401, message: /exp/ }, nginx: null },
    { name: 'an unsigned token (alg none): 401', head: (_auth) => get(`${prefix}/things`)(bearer(tokens.unsigned)), node: { status: 401 }, nginx: null },
    { name: 'path traversal out of the route: 400', head: get(`${prefix}/../../etc/passwd`), node: { status: 400 }, nginx: { status: 400 } },
    { name: 'encoded path traversal: 400', head: get(`${prefix}/%2e%2e/%2e%2e/etc/passwd`), node: { status: 400 }, nginx: { status: 400 } },
    { name: 'a 20 KB header: 431 (nginx: 400)', head: get(`${prefix}/things`, `X-Big: ${'a'.repeat(20_000)}\r\n`), node: { status: 431 }, nginx: { status: 400 } },
    { name: 'a 20 KB URL: 431 (nginx: 414)', head: get(`${prefix}/${'a'.repeat(20_000)}`), node: { status: 431 }, nginx: { status: 414 } },
    {
      name: 'two different Content-Length headers: 400',
      head: post('Content-Length: 2\r\nContent-Length: 3\r\n'),
      body: ['{}'],
      node: { status: 400 },
      nginx: { status: 400 },
    },
    {
      name: 'Content-Length and Transfer-Encoding together (request smuggling): 400',
      head: post('Content-Length: 2\r\nTransfer-Encoding: chunked\r\n'),
      body: ['0\r\n\r\n'],
      node: { status: 400 },
      nginx: { status: 400 },
    },
    { name: 'an unknown method: 400', head: (auth) => `FOO ${prefix}/things HTTP/1.1\r\nHost: gateway\r\n${auth}Connection: close\r\n`, node: { status: 400 }, nginx: { status: 400 } },
    { name: 'TRACE is not forwarded: 405', head: (auth) => `TRACE ${prefix}/things HTTP/1.1\r\nHost: gateway\r\n${auth}Connection: close\r\n`, node: { status: 405 }, nginx: { status: 405 } },
    { name: 'an absolute URL as the target: 400 (nginx: served as its path)', head: get(`http://evil.example${prefix}/things`), node: { status: 400 }, nginx: { status: 200 } },
    { name: 'no Host header: 400', head: (auth) => `GET ${prefix}/things HTTP/1.1\r\n${auth}Connection: close\r\n`, node: { status: 400 }, nginx: { status: 400 } },
    {
      name: 'headers that never end: 408 once the request timeout passes (nginx closes the connection without an answer)',
      // sendRaw ends the head with one more line break, not the blank line that would end the headers.
      head: (auth) => `GET ${prefix}/things HTTP/1.1\r\nHost: gateway\r\n${auth}X-Still-Typing: yes`,
      node: { status: 408 },
      nginx: { status: 0 },
    },
    {
      name: 'a body that stops coming: 408 once the request timeout passes (nginx closes the connection without an answer)',
      head: post('Content-Length: 100\r\n'),
      body: ['{"a":'],
      node: { status: 408 },
      nginx: { status: 0 },
    },
  ];
}

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends `head` (plus the blank line) and the body parts over a new connection
 * from `localAddress`, and reads until the server closes it; 1xx answers are
 * skipped. Status 0: the server closed without answering.
 */
export function sendRaw(port: number, request: { head: string; body?: readonly string[]; gapMs?: number }, localAddress = '127.0.0.1', timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms:\n${Buffer.concat(chunks).toString('latin1').slice(0, 300)}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server refusing mid-upload may reset the connection: what it answered before still counts.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks).toString('latin1')));
    });
    void (async () => {
      socket.write(`${request.head}\r\n`);
      for (const part of request.body ?? []) {
        if (request.gapMs) await new Promise((r) => setTimeout(r, request.gapMs));
        if (socket.destroyed) return;
        socket.write(part);
      }
    })();
  });
}

function parse(text: string): RawAnswer {
  let rest = text;
  for (;;) {
    const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(rest);
    if (!match) return { status: 0, body: rest };
    const end = rest.indexOf('\r\n\r\n');
    const status = Number(match[1]);
    if (status >= 200 || end < 0) {
      const head = rest.slice(0, end);
      const body = rest.slice(end + 4);
      return { status, body: /^transfer-encoding: *chunked/im.test(head) ? unchunk(body) : body };
    }
    rest = rest.slice(end + 4);
  }
}

function unchunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, line), 16);
    if (!(size > 0)) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}
