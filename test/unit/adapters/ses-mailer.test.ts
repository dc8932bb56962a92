import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSesMailer } from '../../../functions/lib/adapters/ses/mailer';
import { MailerError } from '../../../functions/lib/subscriptions/errors';

const ses = mockClient(SESv2Client);
const client = new SESv2Client({ region: 'eu-west-2' });

describe('SES v2 mailer', () => {
  beforeEach(() => ses.reset());

  it('sends a templated email with the stack prefix, JSON data, headers and configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = createSesMailer(client, {
      from: 'reminders@example.org',
      templatePrefix: 'Esr-',
      configurationSet: 'esr-events',
    });

    await mailer.sendTemplated({
      to: 'jo@example.org',
      template: 'welcome',
      data: {
        campaignName: 'Locals',
        role: 'candidate',
        unsubscribeUrl: 'https://x.test/unsubscribe?token=t',
      },
      headers: [
        { name: 'List-Unsubscribe', value: '<https://x.test/unsubscribe?token=t>' },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ],
    });

    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'reminders@example.org',
      Destination: { ToAddresses: ['jo@example.org'] },
      Content: {
        Template: {
          TemplateName: 'Esr-welcome',
          TemplateData: JSON.stringify({
            campaignName: 'Locals',
            role: 'candidate',
            unsubscribeUrl: 'https://x.test/unsubscribe?token=t',
          }),
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://x.test/unsubscribe?token=t>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
      ConfigurationSetName: 'esr-events',
    });
  });

  it('sends no Headers and no configuration set when there are none', async () => {
    ses.on(SendEmailCommand).resolves({});
    const mailer = createSesMailer(client, { from: 'r@example.org', templatePrefix: '' });

    await mailer.sendTemplated({ to: 'jo@example.org', template: 'confirm-subscription', data: {} });

    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Content?.Template?.TemplateName).toBe('confirm-subscription');
    expect(input?.Content?.Template).not.toHaveProperty('Headers');
    expect(input).not.toHaveProperty('ConfigurationSetName');
  });

  it('turns an SES failure into MailerError naming the template, never the address', async () => {
    const failure = Object.assign(new Error('Email address is not verified: jo@example.org'), {
      name: 'MessageRejected',
    });
    ses.on(SendEmailCommand).rejects(failure);
    const mailer = createSesMailer(client, { from: 'r@example.org', templatePrefix: '' });

    const sending = mailer.sendTemplated({ to: 'jo@example.org', template: 'welcome', data: {} });

    await expect(sending).rejects.toBeInstanceOf(MailerError);
    await expect(sending).rejects.toThrow('Could not send the welcome email.');
    await sending.catch((error: Error) => expect(error.message).not.toContain('jo@example.org'));
  });

  it("sends from the organiser's display name, with replies to the organiser", async () => {
    ses.on(SendEmailCommand).resolves({});
    const mailer = createSesMailer(client, { from: 'reminders@example.org', templatePrefix: '' });

    await mailer.sendTemplated({
      to: 'jo@example.org',
      template: 'confirm-subscription',
      data: {},
      sender: {
        displayName: 'Anytown Borough Council election security reminders',
        replyTo: 'elections@anytown.gov.uk',
      },
    });

    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.FromEmailAddress).toBe(
      '"Anytown Borough Council election security reminders" <reminders@example.org>',
    );
    expect(input?.ReplyToAddresses).toEqual(['elections@anytown.gov.uk']);
  });

  it('sends no Reply-To when the sender has none (a campaign without an organiser)', async () => {
    ses.on(SendEmailCommand).resolves({});
    const mailer = createSesMailer(client, { from: 'reminders@example.org', templatePrefix: '' });

    await mailer.sendTemplated({
      to: 'jo@example.org',
      template: 'welcome',
      data: {},
      sender: { displayName: 'Election security reminders' },
    });

    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.FromEmailAddress).toBe('"Election security reminders" <reminders@example.org>');
    expect(input).not.toHaveProperty('ReplyToAddresses');
  });
});
