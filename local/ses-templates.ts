import {
  AlreadyExistsException,
  CreateEmailTemplateCommand,
  type SESv2Client,
  SESv2ServiceException,
  UpdateEmailTemplateCommand,
} from '@aws-sdk/client-sesv2';
import { type EmailTemplate, loadTemplates } from '../functions/lib/templates';

/**
 * Loads every template from templates/ into an SES v2 endpoint: create, or update when it exists
 * already (a restart against a persistent emulator, or another SES-compatible server).
 */
export const syncTemplates = async (
  client: SESv2Client,
  prefix: string,
  templates: EmailTemplate[] = loadTemplates(),
): Promise<number> => {
  for (const template of templates) {
    const input = {
      TemplateName: `${prefix}${template.name}`,
      TemplateContent: { Subject: template.subject, Html: template.html, Text: template.text },
    };
    try {
      await client.send(new CreateEmailTemplateCommand(input));
    } catch (error) {
      // The embedded emulator answers an existing template with a bare 400 rather than SES's error.
      const exists =
        error instanceof AlreadyExistsException ||
        (error instanceof SESv2ServiceException && error.$metadata.httpStatusCode === 400);
      if (!exists) throw error;
      await client.send(new UpdateEmailTemplateCommand(input));
    }
  }
  return templates.length;
};
