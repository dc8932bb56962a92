/**
 * What each email template needs from its sender: the data contract between the templates and the
 * code that sends them (confirm, welcome, the reminder sender and the web archive). Kept apart from
 * the compiler (index.ts imports MJML) so senders can import it without bundling MJML.
 *
 * SES renders a missing variable as a rendering failure, so every variable a template may lack is
 * optional here and only ever used inside `{{#if …}}` in the templates.
 */
import { ALERT_TEMPLATE, CONFIRM_TEMPLATE, WELCOME_TEMPLATE } from './names';

/** A flag is "yes" when true; absent or "" when false (Handlebars `{{#if}}` treats "" as false). */
export type TemplateFlag = 'yes' | '';

/** An earlier reminder that still applies, listed in the welcome email with its web copy. */
export interface MissedReminder {
  /** The reminder's subject line, e.g. "Secure your accounts this week". */
  title: string;
  /** The public web copy of that reminder (https, no personal data). */
  url: string;
}

/**
 * Who runs the campaign, named in the header and footer of every email and in its From line. Every
 * new campaign has an organiser; campaigns created before organisers were asked for have none, so
 * templates use these inside {{#if organiserName}} with wording that reads well without.
 */
export interface OrganiserTemplateData {
  /** e.g. "Anytown Borough Council": letters, digits, spaces and ' & ( ) , . - only. */
  organiserName?: string;
  /** Present whenever organiserName is; replies go here too. */
  organiserEmail?: string;
  /** As written, e.g. "01234 567890". */
  organiserPhone?: string;
  /** The same number for a tel: link, digits only, e.g. "01234567890". */
  organiserTel?: string;
  /** https URL of the organiser's site. */
  organiserWebsite?: string;
  /** Its host, e.g. "www.anytown.gov.uk": the link's visible text and a host the standing line names. */
  organiserDomain?: string;
}

/**
 * The local contact for the recipient's audience (e.g. the police single point of contact for
 * officials), named in the steps that tell people to contact the police. A contact has a phone
 * number, an email address or both.
 */
export interface ContactTemplateData {
  contactName?: string;
  contactPhone?: string;
  /** contactPhone for a tel: link, digits only. */
  contactTel?: string;
  contactEmail?: string;
}

/** Every reminder (`<stepKey>-<audience>`), in an email and on its web archive page. */
export interface ReminderTemplateData extends OrganiserTemplateData, ContactTemplateData {
  campaignName: string;
  /** Long date, e.g. "Thursday 6 May 2027". */
  pollDate: string;
  /** The role with its article, e.g. "an election agent" (roleWithArticle in domain/roles.ts). */
  role: string;
  /** Close of nominations, a long date ("Thursday 8 April 2027"); nominations close at 4pm. */
  nominationsClose: string;
  /** Latest day the statement of persons nominated is published (by 4pm), a long date. */
  sopnPublished: string;
  /** The recipient's name, when they gave one. Never on the web archive page. */
  name?: string;
  /** The recipient's one-click unsubscribe link. Absent on the web archive page. */
  unsubscribeUrl?: string;
  /** The recipient's "Manage your reminders" link (a manage token). Absent on the web archive page. */
  manageUrl?: string;
  /** The public web copy of this email. Absent on the web archive page itself. */
  webVersionUrl?: string;
  /** "yes" for election agents: the candidates' text is then written to the agent. */
  isAgent?: TemplateFlag;
  /** "yes" for a campaign in Scotland. */
  inScotland?: TemplateFlag;
  /** "yes" for a campaign in Northern Ireland. Neither flag: England, Wales or UK-wide. */
  inNorthernIreland?: TemplateFlag;
}

/** The welcome email, sent once a sign-up is confirmed. */
export interface WelcomeTemplateData extends OrganiserTemplateData {
  campaignName: string;
  pollDate: string;
  role: string;
  unsubscribeUrl: string;
  /** The recipient's "Manage your reminders" link. */
  manageUrl?: string;
  name?: string;
  /** Earlier reminders for this role that still apply; absent or empty when there are none. */
  missed?: MissedReminder[];
}

/**
 * The confirmation email. No `name`: it goes to an address nobody has confirmed yet, so it must
 * not repeat anything typed into the form.
 */
export interface ConfirmTemplateData extends OrganiserTemplateData {
  campaignName: string;
  role: string;
  confirmUrl: string;
  /** "Manage your reminders": lets whoever holds the mailbox see or delete what was entered. */
  manageUrl?: string;
  /**
   * "yes" when an administrator's import asked for it (the organiser invites the person) rather than
   * the person's own sign-up: the email then says who invited them.
   */
  invited?: TemplateFlag;
}

/**
 * An urgent alert (`urgent-alert`): a reminder's words plus the alert's own, rendered from checked
 * Markdown (functions/lib/campaigns/alert-markdown.ts). SES inserts values without escaping, so
 * `alertHtml` goes into the HTML as it is; the subject holds no markup (checked at the edge).
 */
export interface AlertTemplateData extends ReminderTemplateData {
  alertSubject: string;
  /** Paragraphs, bullet lists, emphasis and allowed links, as HTML. */
  alertHtml: string;
  /** The same, as wrapped plain text with each link's URL on its own line. */
  alertText: string;
}

export type TemplateKind = 'confirm' | 'welcome' | 'reminder' | 'alert';

export interface TemplateDataByKind {
  confirm: ConfirmTemplateData;
  welcome: WelcomeTemplateData;
  reminder: ReminderTemplateData;
  alert: AlertTemplateData;
}

/** The data a template of this kind takes: `TemplateDataFor<'reminder'>` etc. */
export type TemplateDataFor<K extends TemplateKind> = TemplateDataByKind[K];

type Keys<T> = readonly (keyof T & string)[];

interface Contract<T> {
  /** Always supplied. */
  required: Keys<T>;
  /** May be absent (or "" / empty): templates use them only inside {{#if}}. */
  optional: Keys<T>;
  /** Variables holding a list, rendered with {{#each}}, and the fields of each item. */
  lists: Partial<Record<keyof T & string, readonly string[]>>;
}

const ORGANISER_VARIABLES = [
  'organiserName',
  'organiserEmail',
  'organiserPhone',
  'organiserTel',
  'organiserWebsite',
  'organiserDomain',
] as const satisfies Keys<OrganiserTemplateData>;
const CONTACT_VARIABLES = [
  'contactName',
  'contactPhone',
  'contactTel',
  'contactEmail',
] as const satisfies Keys<ContactTemplateData>;

/** The same contract as data, for the template checker, tests and previews. */
export const TEMPLATE_CONTRACTS: { [K in TemplateKind]: Contract<TemplateDataByKind[K]> } = {
  confirm: {
    required: ['campaignName', 'role', 'confirmUrl'],
    optional: ['manageUrl', 'invited', ...ORGANISER_VARIABLES],
    lists: {},
  },
  welcome: {
    required: ['campaignName', 'pollDate', 'role', 'unsubscribeUrl'],
    optional: ['name', 'manageUrl', 'missed', ...ORGANISER_VARIABLES],
    lists: { missed: ['title', 'url'] },
  },
  reminder: {
    required: ['campaignName', 'pollDate', 'role', 'nominationsClose', 'sopnPublished'],
    optional: [
      'name',
      'unsubscribeUrl',
      'manageUrl',
      'webVersionUrl',
      'isAgent',
      'inScotland',
      'inNorthernIreland',
      ...ORGANISER_VARIABLES,
      ...CONTACT_VARIABLES,
    ],
    lists: {},
  },
  alert: {
    required: ['campaignName', 'pollDate', 'role', 'alertSubject', 'alertHtml', 'alertText'],
    optional: [
      'nominationsClose',
      'sopnPublished',
      'name',
      'unsubscribeUrl',
      'manageUrl',
      'webVersionUrl',
      'isAgent',
      'inScotland',
      'inNorthernIreland',
      ...ORGANISER_VARIABLES,
      ...CONTACT_VARIABLES,
    ],
    lists: {},
  },
};

/** Which contract a template follows, by its name. */
export const templateKind = (name: string): TemplateKind =>
  name === CONFIRM_TEMPLATE
    ? 'confirm'
    : name === WELCOME_TEMPLATE
      ? 'welcome'
      : name === ALERT_TEMPLATE
        ? 'alert'
        : 'reminder';

/** Every variable any template may use. */
export type TemplateVariable = {
  [K in TemplateKind]: keyof TemplateDataByKind[K] & string;
}[TemplateKind];

/**
 * Data for any template, loosely typed (for code that handles every template, such as the SES
 * test renderer). Senders should type their data with TemplateDataFor<kind> instead.
 */
export type TemplateData = Partial<Record<TemplateVariable, string | MissedReminder[]>>;
