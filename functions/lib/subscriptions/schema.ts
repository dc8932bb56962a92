import { z } from 'zod';
import { ROLES } from '../domain/roles';

/**
 * Names go into emails sent from our address. SES does not HTML-escape template data, and mail
 * clients turn `word.word` into a link, so a name is limited to what names use: letters (with their
 * accents), spaces, hyphens, apostrophes, and a full stop only after a one-letter initial ("J. Smith",
 * "J.R.R. Tolkien"). Otherwise `Urgent. Reset it at paypal-login.com` would make our confirmation
 * email someone else's phishing email.
 */
const NAME_CHARACTERS = /^\p{L}[\p{L}\p{M} .'’-]*$/u;
/** A full stop after one letter that starts a word, followed by the end, a space, a hyphen or another initial. */
const INITIAL = /(?<![\p{L}\p{M}'’])\p{L}\p{M}*\.(?=$|[ -]|\p{L}\p{M}*\.)/gu;
const isName = (name: string) => NAME_CHARACTERS.test(name) && !name.replace(INITIAL, 'x').includes('.');
const NAME_RULE =
  'Your name can only include letters, spaces, hyphens and apostrophes, and a full stop after an initial';
const NAME_MAX = 70;
const EMAIL_MAX = 254;

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** The sign-up request, from JSON or the form (the route maps form fields onto this shape first). */
export const signupSchema = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .pipe(
      z
        .email({ error: 'Enter an email address in the correct format, like name@example.com' })
        .max(EMAIL_MAX, `Your email address must be ${EMAIL_MAX} characters or fewer`),
    ),
  name: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'Your name must be text' })
      .trim()
      .max(NAME_MAX, `Your name must be ${NAME_MAX} characters or fewer`)
      .refine(isName, NAME_RULE)
      .optional(),
  ),
  role: z.enum(ROLES, { error: 'Select your role in the election' }),
  campaignId: z
    .string({ error: 'Select the election you want reminders for' })
    .min(1, 'Select the election you want reminders for')
    .max(100, 'Select the election you want reminders for'),
  consent: z.literal(true, { error: 'Select the box to agree to us keeping and using your details' }),
});

export type SignupInput = z.infer<typeof signupSchema>;

/** Form fields are all text: map them onto the JSON shape so one schema judges both. */
export const formToSignup = (form: Record<string, string>): Record<string, unknown> => ({
  email: form.email,
  name: form.name,
  role: blankToUndefined(form.role),
  campaignId: blankToUndefined(form.campaignId),
  consent: form.consent === 'yes' ? true : undefined,
});
