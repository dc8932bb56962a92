import { HtmlValidate } from 'html-validate';

/**
 * html-validate for email HTML: the recommended preset, minus the rules that email HTML must
 * break to render in Outlook and webmail. Everything else (unclosed or misnested elements,
 * duplicate ids, missing alt text, bad attributes, title length...) stays on.
 */
export const emailHtmlValidator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Gmail and others drop <style> blocks, so styles must be inline (MJML inlines them on purpose).
    'no-inline-style': 'off',
    // align, bgcolor, cellpadding, cellspacing and border on tables are what Outlook understands.
    'no-deprecated-attr': 'off',
    // <!--[if mso]> blocks give Outlook's Word-based renderer its own layout.
    'no-conditional-comment': 'off',
    // MJML's output is indented with trailing spaces; whitespace is harmless to email clients.
    'no-trailing-whitespace': 'off',
    // MJML writes `<!doctype html>`; lower case is equally valid HTML5.
    'doctype-style': 'off',
    // mj-button emits <table><tr> without <tbody>; browsers and email clients add it implicitly.
    'prefer-tbody': 'off',
  },
});

export const validateEmailHtml = (html: string): string[] =>
  emailHtmlValidator
    .validateStringSync(html)
    .results.flatMap((result) => result.messages)
    .map((message) => `${message.ruleId} (line ${message.line}): ${message.message}`);
