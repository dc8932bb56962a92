import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The pages' words, one JSON catalogue per locale in `locales/` (`en-GB.json`; a `cy.json` adds
 * Welsh). Views look keys up through one helper; a value may hold `{placeholders}`, filled with data.
 */
export type Catalogue = Readonly<Record<string, string>>;
export type MessageParams = Record<string, unknown>;

export const DEFAULT_LOCALE = 'en-GB';

const here = dirname(fileURLToPath(import.meta.url));

/** In the repository next to this file; in the Lambda bundle copied next to index.mjs (PAGE_BUNDLE_FILES). */
export const localesDir = (): string => {
  const candidates = [join(here, 'locales')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`Cannot find the message catalogues; looked in ${candidates.join(', ')}`);
  return found;
};

const catalogueSchema = z.record(z.string().min(1), z.string());
const LOCALE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

const loaded = new Map<string, Catalogue>();

/** The catalogue for `locale`, read once per process; an unknown locale is a programming error. */
export const loadCatalogue = (locale: string = DEFAULT_LOCALE): Catalogue => {
  const cached = loaded.get(locale);
  if (cached) return cached;
  if (!LOCALE.test(locale)) throw new Error(`Not a locale: ${locale}`);
  const catalogue = Object.freeze(
    catalogueSchema.parse(JSON.parse(readFileSync(join(localesDir(), `${locale}.json`), 'utf8'))),
  );
  loaded.set(locale, catalogue);
  return catalogue;
};

/** Every locale with a catalogue. */
export const availableLocales = (): string[] =>
  readdirSync(localesDir())
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();

export class MissingMessageError extends Error {
  override readonly name = 'MissingMessageError';
}

const PLACEHOLDER = /\{([A-Za-z][\w]*)\}/g;

/** The placeholders a message uses, e.g. `["email"]`. */
export const placeholdersOf = (message: string): string[] =>
  [...message.matchAll(PLACEHOLDER)].map((match) => match[1] as string);

/**
 * Looks `key` up and fills its placeholders. `format.value` renders each value and `format.text`
 * the message's own words (the views escape both there). A missing key or value throws: a page
 * must never show a key or a `{hole}`.
 */
export const translate = (
  catalogue: Catalogue,
  key: string,
  params: MessageParams = {},
  format: { text?: (text: string) => string; value?: (value: unknown) => string } = {},
): string => {
  const message = catalogue[key];
  if (message === undefined) throw new MissingMessageError(`No message "${key}" in the catalogue`);
  const text = format.text ?? ((words: string) => words);
  const value = format.value ?? String;
  let out = '';
  let last = 0;
  for (const match of message.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (params[name] === undefined || params[name] === null) {
      throw new MissingMessageError(`Message "${key}" needs a value for {${name}}`);
    }
    out += text(message.slice(last, match.index)) + value(params[name]);
    last = match.index + match[0].length;
  }
  return out + text(message.slice(last));
};

/**
 * The key of an English message the core produces (a validation message, written once in its
 * schema for the JSON API too), so a page can show it in the reader's language. Undefined when
 * the en-GB catalogue does not hold it; the page then shows it as it is.
 */
export const keyOfEnglishMessage = (message: string, prefix: string): string | undefined =>
  Object.entries(loadCatalogue(DEFAULT_LOCALE)).find(
    ([key, value]) => key.startsWith(prefix) && value === message,
  )?.[0];
