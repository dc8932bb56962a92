/**
 * Who an email says it is from: the campaign's organiser by name, with replies going to them. The
 * core decides it from the campaign's words; the SES adapters put it in the From and Reply-To.
 */

/** The display name and reply address for one campaign's emails (the sending address is the stack's). */
export interface EmailSender {
  /** e.g. "Anytown Borough Council election security reminders". */
  displayName: string;
  /** The organiser's own address, when the campaign has an organiser. */
  replyTo?: string;
}

/** For campaigns created before organisers were asked for. */
export const DEFAULT_SENDER_NAME = 'Election security reminders';

/** The sender for a campaign, from its words (campaignWords or reminderWords). */
export const emailSender = (words: { organiserName?: string; organiserEmail?: string }): EmailSender =>
  words.organiserName
    ? {
        displayName: `${words.organiserName} election security reminders`,
        ...(words.organiserEmail ? { replyTo: words.organiserEmail } : {}),
      }
    : { displayName: DEFAULT_SENDER_NAME };

const ORGANISER_WORDS = [
  'organiserName',
  'organiserEmail',
  'organiserPhone',
  'organiserTel',
  'organiserWebsite',
  'organiserDomain',
] as const;

/** Only the organiser's words, for an email that needs nothing else of the campaign's. */
export const organiserWords = (words: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    ORGANISER_WORDS.flatMap((key) => (words[key] === undefined ? [] : [[key, words[key] as string]])),
  );
