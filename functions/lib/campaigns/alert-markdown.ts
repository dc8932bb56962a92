import type { Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';
import type { Issue } from '../errors';
import { isAllowedLink } from '../templates/links';

/**
 * Restricted Markdown for urgent alerts: paragraphs, bullet lists, emphasis (*em*, **strong**) and
 * links to the hosts our emails may link to (functions/lib/templates/links.ts, and the organiser's
 * own site). Everything else (headings, images, code, quotes, numbered lists, rules, raw HTML) is
 * refused, naming what was found, rather than silently dropped: what the approver reads is what is sent.
 * Parsed by markdown-it (CommonMark, HTML off), then checked token by token against this allow-list.
 */

const markdown = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });
// markdown-it would quietly show a javascript: or data: link as text; let every link through the
// parser so the allow-list below refuses it by name. Nothing is rendered before that check passes.
markdown.validateLink = () => true;
// A second parser with HTML on, only to notice raw HTML (which the first would show as text).
const htmlSpotter = new MarkdownIt('commonmark', { html: true });

const ALLOWED_BLOCKS = new Set([
  'paragraph_open',
  'paragraph_close',
  'bullet_list_open',
  'bullet_list_close',
  'list_item_open',
  'list_item_close',
  'inline',
]);
const ALLOWED_INLINE = new Set([
  'text',
  'softbreak',
  'em_open',
  'em_close',
  'strong_open',
  'strong_close',
  'link_open',
  'link_close',
]);
const NAMES: Record<string, string> = {
  heading_open: 'headings',
  image: 'images',
  code_inline: 'code',
  code_block: 'code blocks',
  fence: 'code blocks',
  blockquote_open: 'quotes',
  ordered_list_open: 'numbered lists',
  hr: 'horizontal rules',
  hardbreak: 'line breaks (end a paragraph with a blank line instead)',
  html_block: 'HTML',
  html_inline: 'HTML',
};

export interface RenderedAlert {
  html: string;
  text: string;
}

/** How a link names where it goes, as every email does: `gov.uk`, `ncsc.gov.uk`. */
const shownHost = (href: string) => new URL(href).hostname.replace(/^www\./, '');

const flatten = (tokens: Token[]): Token[] =>
  tokens.flatMap((token) => [token, ...flatten(token.children ?? [])]);

/** The problems with the Markdown, each naming `field`; empty when it is allowed. */
export const checkAlertMarkdown = (source: string, field: string, organiserWebsite?: string): Issue[] => {
  const issues: Issue[] = [];
  const refuse = (what: string) => {
    const message = `${field} may hold paragraphs, bullet lists, *emphasis* and links only: ${what} are not allowed`;
    if (!issues.some((issue) => issue.message === message)) issues.push({ path: field, message });
  };
  for (const token of flatten(htmlSpotter.parse(source, {}))) {
    if (token.type === 'html_block' || token.type === 'html_inline') refuse('HTML tags');
  }
  for (const token of flatten(markdown.parse(source, {}))) {
    const allowed = ALLOWED_BLOCKS.has(token.type) || ALLOWED_INLINE.has(token.type);
    if (!allowed && !token.type.endsWith('_close'))
      refuse(NAMES[token.type] ?? token.type.replace(/_open$/, '').replace(/_/g, ' '));
    if (token.type === 'link_open') {
      const href = String(token.attrGet('href') ?? '');
      if (!isAllowedLink(href, organiserWebsite)) {
        issues.push({
          path: field,
          message: `${field} links only to the allowed hosts over https (gov.uk, ncsc.gov.uk, police.uk and the other official sites, or the organiser's website); not ${href.slice(0, 100)}`,
        });
      }
    }
  }
  if (!markdown.parse(source, {}).some((token) => token.type === 'inline' && token.content.trim())) {
    issues.push({ path: field, message: `${field} is empty` });
  }
  return issues;
};

/**
 * HTML (for the email's body) and wrapped plain text (its text part) of allowed Markdown. Each
 * link's text ends with the host it goes to, unless it names it already, as in every other email.
 */
export const renderAlertMarkdown = (source: string): RenderedAlert => {
  const tokens = markdown.parse(source, {});
  for (const token of tokens) {
    if (token.type !== 'inline' || !token.children) continue;
    const children: Token[] = [];
    let href: string | undefined;
    let label = '';
    for (const child of token.children) {
      if (child.type === 'link_open') {
        href = String(child.attrGet('href') ?? '');
        label = '';
      } else if (child.type === 'text' && href !== undefined) label += child.content;
      if (child.type === 'link_close' && href) {
        const host = shownHost(href);
        if (!label.includes(host)) {
          const suffix = new (child.constructor as new (type: string, tag: string, nesting: number) => Token)(
            'text',
            '',
            0,
          );
          suffix.content = ` (${host})`;
          children.push(suffix);
        }
        href = undefined;
      }
      children.push(child);
    }
    token.children = children;
  }
  return { html: markdown.renderer.render(tokens, markdown.options, {}).trim(), text: toText(tokens) };
};

const TEXT_WIDTH = 76;

/** Greedy word wrap; a URL longer than the width stands on its own line. */
const wrap = (words: string[], first: string, rest: string): string[] => {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > TEXT_WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
};

/** The text part: paragraphs wrapped at 76 columns, bullets as "- ", each link's URL on its own line after its paragraph. */
const toText = (tokens: Token[]): string => {
  const blocks: { text: string; bullet: boolean }[] = [];
  let bullet = false;
  for (const token of tokens) {
    if (token.type === 'list_item_open') bullet = true;
    if (token.type !== 'inline') continue;
    let words = '';
    const urls: string[] = [];
    for (const child of token.children ?? []) {
      if (child.type === 'text') words += child.content;
      else if (child.type === 'softbreak') words += ' ';
      else if (child.type === 'link_open') urls.push(String(child.attrGet('href') ?? ''));
    }
    const lines = wrap(words.split(/\s+/).filter(Boolean), bullet ? '- ' : '', bullet ? '  ' : '');
    blocks.push({ text: [...lines, ...urls.map((url) => (bullet ? `  ${url}` : url))].join('\n'), bullet });
    bullet = false;
  }
  // The bullets of a list stay together; paragraphs stand apart.
  return blocks
    .map((block, i) => (i === 0 ? '' : block.bullet && blocks[i - 1]?.bullet ? '\n' : '\n\n') + block.text)
    .join('');
};
