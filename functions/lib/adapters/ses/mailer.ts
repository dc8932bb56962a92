import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailerError } from '../../subscriptions/errors';
import type { Mailer } from '../../subscriptions/ports';
import { formatFromAddress } from './from-address';

export interface SesMailerOptions {
  /** The verified sender (SENDER_EMAIL). */
  from: string;
  /** `${SES_TEMPLATE_PREFIX}` ('' locally, `<stackName>-` in AWS). */
  templatePrefix: string;
  configurationSet?: string;
}

/**
 * Sends SES v2 templated emails. A failure becomes MailerError naming the template only: SDK error
 * messages can echo the recipient, and errors end up in logs.
 */
export const createSesMailer = (client: SESv2Client, options: SesMailerOptions): Mailer => ({
  async sendTemplated({ to, template, data, headers, sender }) {
    try {
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: sender ? formatFromAddress(sender.displayName, options.from) : options.from,
          ...(sender?.replyTo ? { ReplyToAddresses: [sender.replyTo] } : {}),
          Destination: { ToAddresses: [to] },
          Content: {
            Template: {
              TemplateName: `${options.templatePrefix}${template}`,
              TemplateData: JSON.stringify(data),
              ...(headers?.length
                ? { Headers: headers.map(({ name, value }) => ({ Name: name, Value: value })) }
                : {}),
            },
          },
          ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
        }),
      );
    } catch (error) {
      throw new MailerError(template, { cause: error });
    }
  },
});
