import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SesStandInOptions {
  /** Recipients per second the account may send; beyond it calls are throttled (HTTP 429). */
  maxRate: number;
  /** Added to every SendBulkEmail call, as SES's own latency. */
  latencyMs: number;
  /** Share of SendBulkEmail calls answered 429 at random, before any quota is used (fault injection). */
  throttleShare: number;
}

/**
 * An SES v2 stand-in for the benchmark: SendBulkEmail, SendEmail and GetAccount over HTTP, enforcing a maximum
 * send rate like SES (a token bucket holding one second's worth), with latency and injected
 * throttling. It counts every delivery per address, so duplicates and rate can be checked.
 */
export const startSesStandIn = async (options: SesStandInOptions) => {
  const deliveries = new Map<string, number>();
  const freshStats = () => ({
    calls: 0,
    bulkCalls: 0,
    singleCalls: 0,
    throttledByRate: 0,
    throttledInjected: 0,
    firstSendAt: 0,
    lastSendAt: 0,
  });
  const stats = freshStats();
  let tokens = options.maxRate;
  let updatedAt = performance.now();

  const take = (n: number) => {
    const now = performance.now();
    tokens = Math.min(options.maxRate, tokens + ((now - updatedAt) / 1000) * options.maxRate);
    updatedAt = now;
    if (tokens < n) return false;
    tokens -= n;
    return true;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      stats.calls += 1;
      const send = (status: number, body: unknown, type?: string) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(type ? { 'x-amzn-errortype': type } : {}),
        });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && req.url?.startsWith('/v2/email/account')) {
        return send(200, {
          SendQuota: { MaxSendRate: options.maxRate, Max24HourSend: 1e9, SentLast24Hours: 0 },
        });
      }
      if (req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) {
        // SendEmail (one recipient: a confirmation or an invitation), at the same rate.
        stats.singleCalls += 1;
        await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
        if (!take(1)) {
          stats.throttledByRate += 1;
          return send(429, { message: 'Maximum sending rate exceeded.' }, 'TooManyRequestsException');
        }
        const now = performance.now();
        stats.firstSendAt ||= now;
        stats.lastSendAt = now;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          Destination: { ToAddresses: string[] };
        };
        for (const to of body.Destination.ToAddresses) deliveries.set(to, (deliveries.get(to) ?? 0) + 1);
        return send(200, { MessageId: `010201${randomBytes(8).toString('hex')}-${randomUUID()}-000000` });
      }
      if (req.method !== 'POST' || !req.url?.startsWith('/v2/email/outbound-bulk-emails')) {
        return send(404, { message: 'unknown operation' }, 'NotFoundException');
      }
      stats.bulkCalls += 1;
      await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        BulkEmailEntries: { Destination: { ToAddresses: string[] } }[];
      };
      if (Math.random() < options.throttleShare) {
        stats.throttledInjected += 1;
        return send(429, { message: 'Maximum sending rate exceeded.' }, 'TooManyRequestsException');
      }
      if (!take(body.BulkEmailEntries.length)) {
        stats.throttledByRate += 1;
        return send(429, { message: 'Maximum sending rate exceeded.' }, 'TooManyRequestsException');
      }
      const now = performance.now();
      stats.firstSendAt ||= now;
      stats.lastSendAt = now;
      const results = body.BulkEmailEntries.map((entry) => {
        for (const to of entry.Destination.ToAddresses) deliveries.set(to, (deliveries.get(to) ?? 0) + 1);
        // Shaped like an SES message id (60 characters), so the ledger stores what it would in AWS.
        return {
          Status: 'SUCCESS',
          MessageId: `010201${randomBytes(8).toString('hex')}-${randomUUID()}-000000`,
        };
      });
      return send(200, { BulkEmailEntryResults: results });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    stats,
    reset() {
      deliveries.clear();
      Object.assign(stats, freshStats());
      tokens = options.maxRate;
      updatedAt = performance.now();
    },
    setThrottleShare(share: number) {
      options.throttleShare = share;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
