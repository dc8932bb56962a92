/**
 * Decodes what SES TestRenderEmailTemplate returns (a whole MIME message) into subject, HTML and text:
 * a small reader, enough for the single- or multipart/alternative message SES builds.
 */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

const splitPart = (raw: string): MimePart => {
  const normalised = raw.replace(/\r\n/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end === -1 ? normalised : normalised.slice(0, end);
  const body = end === -1 ? '' : normalised.slice(end + 2);
  const headers = new Map<string, string>();
  // Unfold continuation lines, then split "Name: value".
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
};

const decodeQuotedPrintable = (input: string): string => {
  const bytes: number[] = [];
  const text = input.replace(/=\n/g, '');
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    const hex = text.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
};

const decodeBody = (part: MimePart): string => {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return part.body;
};

// RFC 2047 encoded words, e.g. =?UTF-8?Q?Polling_day?=
const decodeHeader = (value: string): string =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_whole, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );

const boundaryOf = (contentType: string): string | undefined =>
  /boundary="?([^";]+)"?/i.exec(contentType)?.[1];

const leafParts = (part: MimePart): MimePart[] => {
  const contentType = part.headers.get('content-type') ?? 'text/plain';
  const boundary = boundaryOf(contentType);
  if (!/^multipart\//i.test(contentType) || !boundary) return [part];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections
    .filter((section) => !section.startsWith('--'))
    .flatMap((section) => leafParts(splitPart(section.replace(/^\n/, ''))));
};

/** Decodes SES's RenderedTemplate (a complete MIME message) into subject, HTML and text. */
export const parseRenderedMime = (raw: string): RenderedEmail => {
  const message = splitPart(raw);
  const rendered: RenderedEmail = {
    subject: decodeHeader(message.headers.get('subject') ?? ''),
    html: '',
    text: '',
  };
  for (const part of leafParts(message)) {
    const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
    // The part boundary's preceding line break belongs to the boundary, not the body.
    const body = decodeBody(part).replace(/\n$/, '');
    if (type.startsWith('text/html')) rendered.html = body;
    else if (type.startsWith('text/plain')) rendered.text = body;
  }
  return rendered;
};
