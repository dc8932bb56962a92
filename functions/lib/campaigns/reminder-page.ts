import Handlebars from 'handlebars';
import { audienceOf, type Role } from '../domain/roles';
import { NotFoundError } from '../errors';
import { getCampaign } from './campaigns';
import { FIRED_STATUSES } from './model';
import type { CampaignRepository, ReminderTemplateSource } from './ports';
import { campaignWords, roleWords } from './reminder-data';

export interface ReminderPageDeps {
  campaigns: CampaignRepository;
  reminderTemplates: ReminderTemplateSource;
}

// Compiled once per template per cold start: a page view renders, it does not compile again.
const cache = new Map<string, HandlebarsTemplateDelegate>();
const compiled = (source: string) => {
  let template = cache.get(source);
  if (!template) {
    template = Handlebars.compile(source, { strict: false });
    cache.set(source, template);
  }
  return template;
};

/**
 * A reminder template's HTML filled in with the given words, as SES renders it (Handlebars, every
 * {{value}} escaped): the web copy and the console's previews go through here.
 */
export const renderReminderHtml = (source: string, words: Record<string, unknown>): string =>
  compiled(source)(words);

const NOT_SENT = 'There is no reminder with that name for that role, or it has not been sent yet.';

/**
 * A reminder that has gone out, as a web page for a role: the same SES template the email used,
 * rendered with the same Handlebars and the campaign's words, but without anyone's name, unsubscribe
 * link, web link or local contact, so it can be read late or shared. Only steps that have fired are shown: the
 * page never says something before the moment that makes it true.
 */
export const renderReminderPage = async (
  deps: ReminderPageDeps,
  request: { campaignId: string; stepKey: string; role: Role },
): Promise<string> => {
  const campaign = await getCampaign(deps, request.campaignId);
  const step = campaign.steps.find((candidate) => candidate.key === request.stepKey);
  const sent = step && FIRED_STATUSES.includes(step.status) && step.roles.includes(request.role);
  if (!step || !sent) {
    throw new NotFoundError(NOT_SENT);
  }
  const template = step.templates[audienceOf(request.role)];
  const source = template ? await deps.reminderTemplates.html(template) : undefined;
  if (!source) throw new NotFoundError(NOT_SENT);
  // SES renders with Handlebars and escapes every {{value}}; so does this.
  // The campaign's words and the role's, but not the role's local contact: a police SPOC's name and
  // number belong in the emails to people who confirmed their address, not on a public page.
  // An urgent alert's HTML is ours, rendered from checked Markdown: it goes in as it is.
  const { alertHtml, ...stepData } = step.data ?? {};
  return renderReminderHtml(source, {
    ...campaignWords(campaign),
    ...roleWords(request.role),
    ...stepData,
    ...(alertHtml ? { alertHtml: new Handlebars.SafeString(alertHtml) } : {}),
  });
};
