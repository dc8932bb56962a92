import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/cdk-app';

/** A sender people can trust: a DKIM-signed domain identity, and links on the organiser's own domain. */
const build = (context: Record<string, unknown>) =>
  buildTestApp({
    allowApiHostLinks: false,
    stackName: 'EsrSender',
    senderEmail: 'reminders@anytown.gov.uk',
    ...context,
  });

describe('CDK: the sender domain and the links in emails', () => {
  it('refuses a deploy whose links would sit on an AWS host, saying why and naming the escape hatch', () => {
    expect(() => build({})).toThrow(
      /a deploy needs -c publicBaseUrl=.*look like phishing.*allowApiHostLinks=true/s,
    );
    expect(() => build({ publicBaseUrl: 'https://d111111abcdef8.cloudfront.net' })).toThrow(
      /d111111abcdef8\.cloudfront\.net, an AWS host/,
    );
    expect(() => build({ publicBaseUrl: 'https://abc123.execute-api.eu-west-2.amazonaws.com' })).toThrow(
      /an AWS host/,
    );
  });

  it('synthesises with publicBaseUrl on the organiser’s domain, or a test stack with the escape hatch', () => {
    const { stack } = build({ publicBaseUrl: 'https://reminders.anytown.gov.uk' });
    const env = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const baseUrls = Object.values(env)
      .map(
        (fn) => (fn as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties,
      )
      .map((props) => props.Environment?.Variables?.PUBLIC_BASE_URL)
      .filter(Boolean);

    expect(baseUrls.length).toBeGreaterThan(0);
    expect(new Set(baseUrls)).toEqual(new Set(['https://reminders.anytown.gov.uk']));
    expect(() => build({ allowApiHostLinks: 'true' })).not.toThrow();
  });

  it('makes the sender domain an SES identity with Easy DKIM and a MAIL FROM subdomain, with the DNS records as outputs', () => {
    const template = Template.fromStack(build({ publicBaseUrl: 'https://reminders.anytown.gov.uk' }).stack);

    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'anytown.gov.uk',
      MailFromAttributes: { MailFromDomain: 'mail.anytown.gov.uk', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
    const outputs = template.findOutputs('*');
    const values = Object.entries(outputs).map(([name, output]) => [name, JSON.stringify(output.Value)]);
    const value = (prefix: string) =>
      values.find(([name]) => name?.startsWith(`SenderIdentity${prefix}`))?.[1];

    for (const n of [1, 2, 3])
      expect(value(`DkimRecord${n}`)).toMatch(/DkimDNSTokenName\d.*CNAME.*DkimDNSTokenValue\d/);
    expect(value('MailFromMxRecord')).toBe(
      '"mail.anytown.gov.uk MX 10 feedback-smtp.eu-west-2.amazonses.com"',
    );
    expect(value('MailFromSpfRecord')).toContain('v=spf1 include:amazonses.com ~all');
    expect(value('SuggestedDmarcRecord')).toContain('_dmarc.anytown.gov.uk TXT');
  });
});
