import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Issue } from '../functions/lib/errors';
import type { ErrorBody } from '../functions/lib/http/errors';

/** A small client for the admin API: bearer token locally, SigV4 (IAM) for a deployed stack. */

export interface ApiClientOptions {
  baseUrl: string;
  token?: string;
  /** Local stack only: the admin on ESR_ADMINS to act as (X-Esr-Admin). */
  admin?: string;
  /** Sign with SigV4 for API Gateway's IAM authoriser (service execute-api). */
  sigv4?: { region: string; credentials?: AwsCredentialIdentityProvider };
  fetch?: typeof fetch;
}

/** The API's `{path, message}` issue, as the server defines it. */
export type ValidationIssue = Issue;

/** The API answered with an error status; body is its JSON error shape when it sent one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorBody> | undefined,
  ) {
    super(body?.message ?? `The API answered ${status}`);
  }
}

export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  constructor(
    readonly baseUrl: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot reach the API at ${baseUrl}`, options);
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (data: SourceData) =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 (or HMAC-SHA-256 with a secret) on node:crypto, as SignatureV4 wants it. */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }
  private create() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: SourceData) {
    this.hash.update(toBuffer(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.create();
  }
}

/** The region in an execute-api host name (abc123.execute-api.eu-west-2.amazonaws.com), if any. */
export const regionFromApiUrl = (baseUrl: string): string | undefined =>
  new URL(baseUrl).hostname.match(/\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/)?.[1];

export const createApiClient = (options: ApiClientOptions) => {
  const doFetch = options.fetch ?? fetch;
  const signer = options.sigv4
    ? new SignatureV4({
        service: 'execute-api',
        region: options.sigv4.region,
        credentials: options.sigv4.credentials ?? defaultProvider(),
        sha256: NodeSha256,
      })
    : undefined;

  const headersFor = async (method: string, url: URL, body: string | undefined) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (!signer) {
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      // Locally, act as one admin on ESR_ADMINS (the local stack honours it with the token only).
      if (options.admin) headers['x-esr-admin'] = options.admin;
      return headers;
    }
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      ...(body !== undefined ? { body } : {}),
    });
    // fetch sets Host itself (to the same value that was signed).
    const { host: _host, ...rest } = signed.headers;
    return rest;
  };

  const request = async <T>(method: string, path: string, payload?: unknown): Promise<T> => {
    const url = new URL(path, options.baseUrl);
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    let response: Response;
    try {
      response = await doFetch(url, { method, headers: await headersFor(method, url, body), body });
    } catch (error) {
      throw new ApiUnreachableError(options.baseUrl, { cause: error });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw new ApiError(response.status, parsed as ApiError['body']);
    return parsed as T;
  };

  return { request };
};

export type ApiClient = ReturnType<typeof createApiClient>;
