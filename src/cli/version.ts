import { readFileSync } from 'node:fs';

/** The installed package's version, for --version and report metadata. */
export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
