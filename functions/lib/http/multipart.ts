import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { header } from './body';

/** A file from a multipart form, as text (UTF-8; a byte order mark is left for the reader to drop). */
export interface UploadedFile {
  /** The file name the browser sent (for display only). */
  name: string;
  text: string;
  bytes: number;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

/**
 * Reads a `multipart/form-data` body (a form with a file input) with the runtime's own parser
 * (fetch's `Response.formData()`), refusing anything over `maxBytes` (413) before parsing, another
 * content type (415) and a body that is not multipart (400).
 */
export const readMultipartForm = async (
  event: APIGatewayProxyEventV2,
  maxBytes: number,
): Promise<MultipartForm> => {
  const contentType = header(event, 'content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new UnsupportedMediaTypeError('Send the form as multipart/form-data.');
  }
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.length > maxBytes) {
    throw new PayloadTooLargeError(`The request body must be at most ${maxBytes} bytes.`);
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new MalformedBodyError('The request body is not a valid multipart form.');
  }
  const fields: Record<string, string> = {};
  const files: Record<string, UploadedFile> = {};
  const parts: [string, unknown][] = [];
  form.forEach((value, name) => {
    parts.push([name, value]);
  });
  for (const [name, value] of parts) {
    if (typeof value === 'string') fields[name] = value;
    else if (value instanceof Blob) {
      const bytes = Buffer.from(await value.arrayBuffer());
      files[name] = { name: (value as File).name ?? '', text: bytes.toString('utf8'), bytes: bytes.length };
    }
  }
  return { fields, files };
};
