import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  ApiUnreachableError,
  createApiClient,
  NodeSha256,
  regionFromApiUrl,
} from '../../../cli/api-client';
import { explain, table } from '../../../cli/esr';

let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
let baseUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

describe('admin API client', () => {
  it('sends the bearer token and JSON body locally', async () => {
    seen = [];
    const client = createApiClient({ baseUrl, token: 'secret-token' });

    expect(await client.request('PATCH', '/admin/campaigns/abc', { pollDate: '2027-05-13' })).toEqual({
      ok: true,
    });

    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      url: '/admin/campaigns/abc',
      body: '{"pollDate":"2027-05-13"}',
      headers: { authorization: 'Bearer secret-token', 'content-type': 'application/json' },
    });
  });

  it('signs requests with SigV4 for execute-api when asked, and sends no bearer token', async () => {
    seen = [];
    const credentials = async () => ({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
    });
    const client = createApiClient({
      baseUrl,
      token: 'ignored',
      sigv4: { region: 'eu-west-2', credentials },
    });

    await client.request('POST', '/admin/campaigns', { name: 'x' });

    const headers = seen[0]?.headers ?? {};
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-2\/execute-api\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-amz-content-sha256'] ?? '').not.toBe('UNSIGNED-PAYLOAD');
  });

  it('reports an unreachable API and an error status as distinct errors', async () => {
    const unreachable = createApiClient({ baseUrl: 'http://127.0.0.1:1' });
    await expect(unreachable.request('GET', '/admin/campaigns')).rejects.toBeInstanceOf(ApiUnreachableError);

    const failing = createApiClient({
      baseUrl,
      fetch: async () =>
        new Response('{"error":"validation","issues":[{"path":"pollDate","message":"bad"}]}', {
          status: 400,
        }),
    });
    const error = await failing.request('GET', '/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body?.issues).toEqual([{ path: 'pollDate', message: 'bad' }]);
  });

  it('hashes like sha256 and HMAC-SHA256 from node:crypto', async () => {
    const hash = new NodeSha256();
    hash.update('abc');
    expect(Buffer.from(await hash.digest()).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const hmac = new NodeSha256('key');
    hmac.update('The quick brown fox jumps over the lazy dog');
    expect(Buffer.from(await hmac.digest()).toString('hex')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('finds the region in an execute-api URL', () => {
    expect(regionFromApiUrl('https://a1b2c3.execute-api.eu-west-2.amazonaws.com')).toBe('eu-west-2');
    expect(regionFromApiUrl('http://127.0.0.1:3000')).toBeUndefined();
  });
});

describe('CLI messages', () => {
  it('lists validation issues one per line', () => {
    const error = new ApiError(400, {
      error: 'validation',
      issues: [
        { path: 'pollDate', message: 'pollDate is in the past' },
        { path: 'nation', message: 'nation must be one of: england' },
      ],
    });

    expect(explain(error, 'http://x')).toBe(
      'The API refused the request:\n  pollDate: pollDate is in the past\n  nation: nation must be one of: england',
    );
  });

  it('says how to get the token on 401 and how to start the stack when unreachable', () => {
    expect(explain(new ApiError(401, undefined), 'http://x')).toMatch(
      /\.local\/admin-token.*--token.*ESR_ADMIN_TOKEN/s,
    );
    expect(explain(new ApiUnreachableError('http://127.0.0.1:3000'), 'http://127.0.0.1:3000')).toBe(
      'Cannot reach the API at http://127.0.0.1:3000 — is `npm start` running? (Or point --api-url / ESR_API_URL at a deployed stack.)',
    );
  });

  it('pads table columns', () => {
    expect(table(['A', 'BB'], [['xxx', 'y']])).toBe('A    BB\nxxx  y');
  });
});
