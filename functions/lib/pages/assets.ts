import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { HttpResult } from '../http/responses';
import { govukDistDir } from './paths';

/** Images are fingerprinted or never change; the stylesheet link carries its hash. Cache for a year. */
const LONG_CACHE = 'public, max-age=31536000, immutable';

const TYPES: Record<string, { type: string; binary: boolean }> = {
  '.css': { type: 'text/css; charset=utf-8', binary: false },
  '.svg': { type: 'image/svg+xml', binary: false },
  '.png': { type: 'image/png', binary: true },
  '.ico': { type: 'image/x-icon', binary: true },
};

const STYLESHEET = 'govuk-frontend.min.css';

/**
 * A system font stack in place of GDS Transport, whose licence covers GOV.UK services only. It is
 * what compiling govuk-frontend with `$govuk-font-family: <this stack>` and
 * `$govuk-include-default-font-face: false` (its supported settings) gives; we serve the
 * precompiled CSS, so the same two changes are made to it as it is read: every font-family naming
 * GDS Transport gets the stack, and the @font-face rules that would fetch the typeface go. The
 * font files are not served. Sizes, spacing and weights stay govuk-frontend's.
 */
export const SYSTEM_FONT_STACK =
  'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif';

export const withSystemFonts = (css: string): string =>
  css
    .replace(/@font-face\{[^}]*font-family:\s*"?GDS Transport"?[^}]*\}/g, '')
    .replace(/font-family:\s*"?GDS Transport"?(,[^;}]*)?/g, `font-family:${SYSTEM_FONT_STACK}`);

let stylesheet: string | undefined;
const stylesheetText = (): string => {
  stylesheet ??= withSystemFonts(readFileSync(join(govukDistDir(), 'govuk', STYLESHEET), 'utf8'));
  return stylesheet;
};

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
  for (const entry of readdirSync(join(assets, 'images'), { recursive: true, withFileTypes: true })) {
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
  const content =
    contents.get(file) ?? (proxyPath === STYLESHEET ? Buffer.from(stylesheetText()) : readFileSync(file));
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
  stylesheetHash ??= createHash('sha256').update(stylesheetText()).digest('hex').slice(0, 12);
  return stylesheetHash;
};
