import { type SESv2Client, TestRenderEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import type { TemplatePreviewer } from '../../campaigns/alerts';
import { parseRenderedMime } from './rendered-mime';

/**
 * Renders a stored SES template with data through SES itself (TestRenderEmailTemplate), so a preview
 * is exactly what SendBulkEmail would send, from the same template.
 */
export const createSesTemplatePreviewer = (
  client: SESv2Client,
  options: { templatePrefix: string },
): TemplatePreviewer => ({
  async render(template, data) {
    const { RenderedTemplate } = await client.send(
      new TestRenderEmailTemplateCommand({
        TemplateName: `${options.templatePrefix}${template}`,
        TemplateData: JSON.stringify(data),
      }),
    );
    return parseRenderedMime(RenderedTemplate ?? '');
  },
});
