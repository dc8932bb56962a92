import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { HttpResult } from '../http/responses';
import { govukDistDir } from './paths';

/** Fonts are fingerprinted; the stylesheet link carries the govuk-frontend version. Cache for a year. */
const LONG_CACHE = 'public, max-age=31536000, immutable';

const TYPES: Record<string, { type: string; binary: boolean }> = {
  '.css': { type: 'text/css; charset=utf-8', binary: false },
  '.woff': { type: 'font/woff', binary: true },
  '.woff2': { type: 'font/woff2', binary: true },
  '.svg': { type: 'image/svg+xml', binary: false },
  '.png': { type: 'image/png', binary: true },
  '.ico': { type: 'image/x-icon', binary: true },
};

const STYLESHEET = 'govuk-frontend.min.css';

let index: Map<string, string> | undefined;

/**
 * The only files served: govuk-frontend's stylesheet, fonts and images, listed once. A request
 * path is looked up in this list, never joined onto the file system, so `..` cannot escape.
 */
const assetIndex = (): Map<string, string> => {
  if (index) return index;
  const govuk = join(govukDistDir(), 'govuk');
  const assets = join(govuk, 'assets');
  const found = new Map<string, string>([[STYLESHEET, join(govuk, STYLESHEET)]]);
  for (const entry of readdirSync(assets, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !TYPES[extname(entry.name)]) continue;
    const path = join(entry.parentPath, entry.name);
    found.set(relative(assets, path).split(sep).join('/'), path);
  }
  index = found;
  return found;
};

const contents = new Map<string, Buffer>();

/** `GET /assets/{proxy+}`; undefined for anything not in the list (the caller answers 404). */
export const serveAsset = (proxyPath: string | undefined): HttpResult | undefined => {
  const file = proxyPath ? assetIndex().get(proxyPath) : undefined;
  if (!file) return undefined;
  const kind = TYPES[extname(file)] ?? { type: 'application/octet-stream', binary: true };
  // Read once per cold start: the files never change under a running function.
  const content = contents.get(file) ?? readFileSync(file);
  contents.set(file, content);
  return {
    statusCode: 200,
    headers: { 'content-type': kind.type, 'cache-control': LONG_CACHE, 'x-content-type-options': 'nosniff' },
    body: kind.binary ? content.toString('base64') : content.toString('utf8'),
    isBase64Encoded: kind.binary,
  };
};

let stylesheetHash: string | undefined;

/** A fingerprint of the stylesheet for its URL, so a new govuk-frontend is fetched despite the long cache. */
export const stylesheetVersion = (): string => {
  stylesheetHash ??= createHash('sha256')
    .update(readFileSync(join(govukDistDir(), 'govuk', STYLESHEET)))
    .digest('hex')
    .slice(0, 12);
  return stylesheetHash;
};
