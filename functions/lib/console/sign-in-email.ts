import { type Catalogue, translate } from '../i18n/catalogue';
import { loadConsoleCatalogue, renderConsoleView } from './render';

/**
 * The sign-in email: subject, plain text and HTML, from the console catalogue. Sent with SES
 * SendEmail as simple content: it names no campaign or organiser, so it needs none of the
 * reminder templates' contract.
 */
export const signInEmail = (
  data: { url: string; minutes: number },
  catalogue: Catalogue = loadConsoleCatalogue(),
): { subject: string; text: string; html: string } => {
  const say = (key: string) => translate(catalogue, key, data);
  const subject = say('console.email.subject');
  const text = [
    say('console.email.heading').toUpperCase(),
    '',
    say('console.email.intro'),
    '',
    data.url,
    '',
    say('console.email.expiry'),
    '',
    say('console.email.notYou'),
    '',
  ].join('\n');
  const html = renderConsoleView('sign-in-email', data, catalogue);
  return { subject, text, html };
};
