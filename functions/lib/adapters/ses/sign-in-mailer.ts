import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { SignInMailer } from '../../console/ports';
import { MailerError } from '../../subscriptions/errors';
import { formatFromAddress } from './from-address';

/**
 * Sends the console's sign-in email as SES simple content. A failure names no recipient: SDK
 * messages can echo the address, and errors reach logs.
 */
export const createSignInMailer = (
  client: SESv2Client,
  options: { from: string; configurationSet?: string },
): SignInMailer => ({
  async send({ to, subject, text, html }) {
    try {
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: formatFromAddress('Election security reminders admin', options.from),
          Destination: { ToAddresses: [to] },
          Content: {
            Simple: {
              Subject: { Data: subject, Charset: 'UTF-8' },
              Body: { Text: { Data: text, Charset: 'UTF-8' }, Html: { Data: html, Charset: 'UTF-8' } },
            },
          },
          ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
        }),
      );
    } catch (error) {
      throw new MailerError('console-sign-in', { cause: error });
    }
  },
});
