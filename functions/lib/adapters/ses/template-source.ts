import { GetEmailTemplateCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { ReminderTemplateSource } from '../../campaigns/ports';
import { hasErrorName } from '../../errors';

/**
 * Reads compiled templates from SES (GetEmailTemplate), so a reminder's web copy is the email itself.
 * Each template is read once per cold start: templates change only with a deploy.
 */
export const createSesTemplateSource = (
  client: SESv2Client,
  options: { templatePrefix: string },
): ReminderTemplateSource => {
  const cache = new Map<string, Promise<string | undefined>>();
  const read = async (name: string) => {
    try {
      const { TemplateContent } = await client.send(
        new GetEmailTemplateCommand({ TemplateName: `${options.templatePrefix}${name}` }),
      );
      return TemplateContent?.Html;
    } catch (error) {
      if (hasErrorName(error, 'NotFoundException')) return undefined;
      throw error;
    }
  };
  return {
    html(name) {
      let pending = cache.get(name);
      if (!pending) {
        pending = read(name);
        cache.set(name, pending);
        pending.catch(() => cache.delete(name));
      }
      return pending;
    },
  };
};
