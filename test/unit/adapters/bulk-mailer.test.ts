import { SESv2Client, SendBulkEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSesBulkMailer } from '../../../functions/lib/adapters/ses/bulk-mailer';
import { SendThrottledError, SesUnavailableError } from '../../../functions/lib/delivery/errors';

const ses = mockClient(SESv2Client);
const mailer = createSesBulkMailer(new SESv2Client({ region: 'eu-west-2' }), {
  from: 'reminders@example.org',
  configurationSet: 'esr-events',
});
const entry = (to: string) => ({
  to,
  data: { campaignName: 'Poll', unsubscribeUrl: 'https://x.test/unsubscribe?token=t' },
  headers: [
    { name: 'List-Unsubscribe', value: '<https://x.test/unsubscribe?token=t>' },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ],
});

describe('SES bulk mailer', () => {
  beforeEach(() => ses.reset());

  it("sends the batch from the organiser's display name, with replies to the organiser", async () => {
    ses
      .on(SendBulkEmailCommand)
      .resolves({ BulkEmailEntryResults: [{ Status: 'SUCCESS', MessageId: 'm-1' }] });

    await mailer.sendBulk('Esr-secure-accounts-candidates', [entry('a@example.test')], {
      displayName: "St. Helen's (North) & District Council election security reminders",
      replyTo: 'elections@sthelens.gov.uk',
    });

    const input = ses.commandCalls(SendBulkEmailCommand)[0]?.args[0].input;
    expect(input?.FromEmailAddress).toBe(
      '"St. Helen\'s (North) & District Council election security reminders" <reminders@example.org>',
    );
    expect(input?.ReplyToAddresses).toEqual(['elections@sthelens.gov.uk']);
  });

  it('sends one SendBulkEmail with per-recipient template data and unsubscribe headers in the configuration set', async () => {
    ses
      .on(SendBulkEmailCommand)
      .resolves({ BulkEmailEntryResults: [{ Status: 'SUCCESS', MessageId: 'm-1' }] });

    const results = await mailer.sendBulk('Esr-secure-accounts-candidates', [entry('a@example.test')]);

    expect(results).toEqual([{ status: 'sent', messageId: 'm-1' }]);
    expect(ses.commandCalls(SendBulkEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'reminders@example.org',
      ConfigurationSetName: 'esr-events',
      DefaultContent: { Template: { TemplateName: 'Esr-secure-accounts-candidates', TemplateData: '{}' } },
      BulkEmailEntries: [
        {
          Destination: { ToAddresses: ['a@example.test'] },
          ReplacementEmailContent: {
            ReplacementTemplate: {
              ReplacementTemplateData: JSON.stringify({
                campaignName: 'Poll',
                unsubscribeUrl: 'https://x.test/unsubscribe?token=t',
              }),
            },
          },
          ReplacementHeaders: [
            { Name: 'List-Unsubscribe', Value: '<https://x.test/unsubscribe?token=t>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      ],
    });
  });

  it('sorts per-entry results into sent, retry and failed, keeping no SES error text', async () => {
    ses.on(SendBulkEmailCommand).resolves({
      BulkEmailEntryResults: [
        { Status: 'SUCCESS', MessageId: 'm-1' },
        { Status: 'TRANSIENT_FAILURE', Error: 'try later' },
        { Status: 'MESSAGE_REJECTED', Error: 'rejected b@example.test' },
        { Status: 'ACCOUNT_DAILY_QUOTA_EXCEEDED', Error: 'daily quota' },
      ],
    });

    const results = await mailer.sendBulk('t', [
      entry('a@x.test'),
      entry('b@example.test'),
      entry('c@x.test'),
      entry('d@x.test'),
    ]);

    expect(results).toEqual([
      { status: 'sent', messageId: 'm-1' },
      { status: 'retry', reason: 'TRANSIENT_FAILURE' },
      { status: 'failed', reason: 'MESSAGE_REJECTED' },
      // The daily quota frees up later: retried, not recorded failed.
      { status: 'retry', reason: 'ACCOUNT_DAILY_QUOTA_EXCEEDED' },
    ]);
  });

  it('turns SES throttling of the whole call into SendThrottledError', async () => {
    ses.on(SendBulkEmailCommand).rejects(
      Object.assign(new Error('Maximum sending rate exceeded.'), {
        name: 'TooManyRequestsException',
        $metadata: { httpStatusCode: 429 },
      }),
    );

    await expect(mailer.sendBulk('t', [entry('a@x.test')])).rejects.toBeInstanceOf(SendThrottledError);
  });

  it('turns an SES 5xx into SesUnavailableError', async () => {
    ses
      .on(SendBulkEmailCommand)
      .rejects(
        Object.assign(new Error('Internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }),
      );

    await expect(mailer.sendBulk('t', [entry('a@x.test')])).rejects.toBeInstanceOf(SesUnavailableError);
  });

  it('turns paused sending (account or configuration set) into SesUnavailableError, to be retried', async () => {
    ses.on(SendBulkEmailCommand).rejects(
      Object.assign(new Error('Sending paused'), {
        name: 'SendingPausedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    await expect(mailer.sendBulk('t', [entry('a@x.test')])).rejects.toBeInstanceOf(SesUnavailableError);
  });

  it('lets a request error (4xx other than throttling) through unchanged', async () => {
    ses.on(SendBulkEmailCommand).rejects(
      Object.assign(new Error('Template missing'), {
        name: 'NotFoundException',
        $metadata: { httpStatusCode: 404 },
      }),
    );

    await expect(mailer.sendBulk('t', [entry('a@x.test')])).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });
});
