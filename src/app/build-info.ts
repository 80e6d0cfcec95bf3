// The running build's name and version, read from package.json, which sits one directory above both
// `src/` (run with tsx) and `dist/` (the compiled bin); this file is `src/app/` or `dist/app/`, so the same
// relative path works for both.

import { readFileSync } from 'node:fs';

export interface BuildInfo {
  readonly name: string;
  readonly version: string;
  readonly nodeVersion: string;
}

const PACKAGE_JSON_URL = new URL('../../package.json', import.meta.url);

let cached: BuildInfo | undefined;

export function readBuildInfo(): BuildInfo {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(PACKAGE_JSON_URL, 'utf8')) as { name?: unknown; version?: unknown };
    cached = {
      name: typeof pkg.name === 'string' ? pkg.name : 'datakit-operator',
      version: typeof pkg.version === 'string' ? pkg.version : 'unknown',
      nodeVersion: process.version,
    };
  }
  return cached;
}
