/**
 * A From address with a display name, as SES takes it in FromEmailAddress. RFC 5322 needs the name
 * quoted (it may hold commas, dots and brackets), with quotes and backslashes escaped. SES does not
 * support SMTPUTF8, so a name with any non-ASCII character goes as RFC 2047 encoded-words instead,
 * each at most 75 characters and split between characters, never inside one.
 */
export const formatFromAddress = (displayName: string, address: string): string => {
  // A display name is one line: folding whitespace and control characters have no place in it.
  const name = displayName.replace(/\p{Cc}+/gu, ' ').trim();
  if (!name) return address;
  // Printable ASCII, space to tilde.
  if (/^[ -~]*$/.test(name)) return `"${name.replace(/["\\]/g, (c) => `\\${c}`)}" <${address}>`;
  return `${encodedWords(name).join(' ')} <${address}>`;
};

// "=?UTF-8?B?" + base64 + "?=" stays within 75 characters when each word holds at most 45 bytes.
const MAX_WORD_BYTES = 45;

const encodedWords = (value: string): string[] => {
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    if (Buffer.byteLength(chunk + char) > MAX_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`);
};
