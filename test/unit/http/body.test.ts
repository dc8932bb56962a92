import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  MalformedBodyError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../functions/lib/errors';
import { MAX_BODY_BYTES, readBody } from '../../../functions/lib/http/body';
import { errorToResponse } from '../../../functions/lib/http/errors';
import { validate } from '../../../functions/lib/http/validate';

const event = (body: string | undefined, contentType?: string, base64 = false) =>
  ({
    headers: contentType ? { 'Content-Type': contentType } : {},
    body: base64 && body ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  }) as unknown as APIGatewayProxyEventV2;

describe('readBody', () => {
  it('parses JSON whatever the case of the content-type header and its charset', () => {
    expect(readBody(event('{"a":1}', 'application/json; charset=utf-8'))).toEqual({
      kind: 'json',
      value: { a: 1 },
    });
  });

  it('parses an HTML form post into an object', () => {
    expect(readBody(event('email=a%40b.test&role=agent', 'application/x-www-form-urlencoded'))).toEqual({
      kind: 'form',
      value: { email: 'a@b.test', role: 'agent' },
    });
  });

  it('decodes a base64-encoded body as API Gateway delivers binary-looking payloads', () => {
    expect(readBody(event('{"b":2}', 'application/json', true)).value).toEqual({ b: 2 });
  });

  it('refuses malformed JSON with MalformedBodyError', () => {
    expect(() => readBody(event('{"a":', 'application/json'))).toThrow(MalformedBodyError);
  });

  it('refuses a body over 10 KB with PayloadTooLargeError before parsing it', () => {
    expect(() => readBody(event(`"${'x'.repeat(MAX_BODY_BYTES)}"`, 'application/json'))).toThrow(
      PayloadTooLargeError,
    );
  });

  it('refuses other content types, and form posts where only JSON is accepted', () => {
    expect(() => readBody(event('a', 'text/plain'))).toThrow(UnsupportedMediaTypeError);
    expect(() => readBody(event('a=1', 'application/x-www-form-urlencoded'), ['json'])).toThrow(
      UnsupportedMediaTypeError,
    );
  });
});

describe('validate', () => {
  const schema = z.object({ email: z.email(), role: z.enum(['candidate', 'agent']) });

  it('names every bad field in one ValidationError', () => {
    const error = (() => {
      try {
        validate(schema, { email: 'nope', role: 'mayor' });
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['email', 'role']);
  });

  it('returns the parsed value when the input is good', () => {
    expect(validate(schema, { email: 'a@b.test', role: 'agent' })).toEqual({
      email: 'a@b.test',
      role: 'agent',
    });
  });
});

describe('errorToResponse', () => {
  it('maps each known error to its status and the one error shape', () => {
    const cases: [Error, number, string][] = [
      [new ValidationError([{ path: 'email', message: 'bad' }]), 400, 'validation'],
      [new MalformedBodyError('x'), 400, 'malformed_body'],
      [new PayloadTooLargeError('x'), 413, 'payload_too_large'],
      [new UnsupportedMediaTypeError('x'), 415, 'unsupported_media_type'],
    ];
    for (const [error, status, code] of cases) {
      const response = errorToResponse(error);
      expect(response.statusCode).toBe(status);
      expect(JSON.parse(response.body as string).error).toBe(code);
    }
  });

  it('answers an unknown error with a bare 500 that carries nothing internal', () => {
    const response = errorToResponse(new Error('connect ECONNREFUSED 10.0.0.1 for someone@example.org'));

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain('example.org');
  });
});
