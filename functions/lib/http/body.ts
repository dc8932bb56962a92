import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';

export const MAX_BODY_BYTES = 10 * 1024;

export type BodyKind = 'json' | 'form';

export interface ParsedBody {
  kind: BodyKind;
  value: unknown;
}

/** A request header by name, whatever its case. */
export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

/** The request body as text, refusing anything over 10 KB (413) before it is looked at. */
export const bodyText = (event: APIGatewayProxyEventV2): string => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The request body must be at most ${MAX_BODY_BYTES} bytes.`);
  }
  return bytes.toString('utf8');
};

/**
 * Reads a request body as JSON or as an HTML form post, refusing anything over 10 KB (413), any other
 * content type (415) and malformed JSON (400) before any work is done.
 */
export const readBody = (
  event: APIGatewayProxyEventV2,
  accept: BodyKind[] = ['json', 'form'],
): ParsedBody => {
  const textBody = bodyText(event);
  const mediaType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json' && accept.includes('json')) {
    try {
      return { kind: 'json', value: textBody === '' ? {} : JSON.parse(textBody) };
    } catch {
      throw new MalformedBodyError('The request body is not valid JSON.');
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded' && accept.includes('form')) {
    return { kind: 'form', value: Object.fromEntries(new URLSearchParams(textBody)) };
  }
  const allowed = accept
    .map((kind) => (kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'))
    .join(' or ');
  throw new UnsupportedMediaTypeError(`Send the request body as ${allowed}.`);
};
