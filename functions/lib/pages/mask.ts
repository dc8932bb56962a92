import { domainToUnicode } from 'node:url';

const MASK = '•••';

/**
 * An address as the confirm page shows it: enough for its owner to recognise (`j•••@example.org`),
 * too little for anyone else who opens the link to learn it. The local part keeps only its first
 * character (none when it has 2 or fewer, which would give most of it away); the length, any
 * `+tag` and the rest are hidden behind the same three dots. The domain is shown as people know
 * it: an internationalised one in its own letters, not as `xn--` punycode.
 */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at < 1) return MASK;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  // Whole characters, so an accented or astral first letter is never cut in half.
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(local)];
  const shown = graphemes.length > 2 ? (graphemes[0]?.segment ?? '') : '';
  return `${shown}${MASK}@${domainToUnicode(domain) || domain}`;
};
