import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dispatchInputSchema } from '../../functions/lib/campaigns/dispatch-step';
import { signInRequestSchema } from '../../functions/lib/console/sign-in';
import { sesFeedbackEventSchema } from '../../functions/lib/delivery/feedback';
import { sendBatchMessageSchema } from '../../functions/lib/delivery/model';
import { confirmationRequestSchema } from '../../functions/lib/subscriptions/confirmation-request';

const read = (file: string) => JSON.parse(readFileSync(`events/${file}`, 'utf8'));
const entries = readdirSync('functions')
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3));
const events = readdirSync('events').filter((file) => file.endsWith('.json'));

/** The sample events feed `npm run invoke` and the docs: each must be what AWS would deliver. */
describe('sample events', () => {
  it('has at least one sample event for every Lambda entry', () => {
    for (const entry of entries) {
      expect(events.some((file) => file.startsWith(`${entry}-`) || file === `${entry}.json`)).toBe(true);
    }
  });

  it('gives the HTTP functions API Gateway HTTP API payload 2.0 events', () => {
    for (const file of events.filter(
      (f) => f.startsWith('api-') || f.startsWith('admin-api-') || f.startsWith('console-sign-in-page'),
    )) {
      const event = read(file);
      expect(event.version).toBe('2.0');
      expect(event.requestContext.http.method).toMatch(/^(GET|POST|PATCH|DELETE)$/);
      expect(event.rawPath).toBe(event.requestContext.http.path);
    }
  });

  it('gives the origin-verify authorizer an HTTP API REQUEST authorizer event (payload 2.0) with its identity source', () => {
    const event = read('origin-verify.json');
    expect(event).toMatchObject({ version: '2.0', type: 'REQUEST' });
    expect(event.identitySource).toEqual([event.headers['x-origin-verify']]);
  });

  it('gives dispatch a schedule Input of ids only', () => {
    expect(dispatchInputSchema.safeParse(read('dispatch.json')).success).toBe(true);
  });

  it('gives send an SQS event whose bodies are valid send batches with no address in them', () => {
    const event = read('send.json');
    for (const record of event.Records) {
      expect(record.eventSource).toBe('aws:sqs');
      expect(sendBatchMessageSchema.safeParse(JSON.parse(record.body)).success).toBe(true);
      expect(record.body).not.toContain('@');
    }
  });

  it('gives confirmation-email an SQS event of ids only (address hash, campaign, nonce)', () => {
    for (const record of read('confirmation-email.json').Records) {
      expect(record.eventSource).toBe('aws:sqs');
      expect(confirmationRequestSchema.strict().safeParse(JSON.parse(record.body)).success).toBe(true);
      expect(record.body).not.toContain('@');
    }
  });

  it('gives ses-events an SES bounce and complaint as EventBridge delivers them', () => {
    for (const file of ['ses-events-bounce.json', 'ses-events-complaint.json']) {
      expect(sesFeedbackEventSchema.safeParse(read(file)).success).toBe(true);
    }
  });

  it('gives console-sign-in-email an SQS event of an address hash only', () => {
    const event = read('console-sign-in-email.json');
    for (const record of event.Records) {
      expect(signInRequestSchema.safeParse(JSON.parse(record.body)).success).toBe(true);
      expect(record.body).not.toContain('@');
    }
  });
});
