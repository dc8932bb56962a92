import { CfnOutput, Stack } from 'aws-cdk-lib';
import { EmailIdentity, Identity, MailFromBehaviorOnMxFailure } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface SenderIdentityProps {
  /** The domain reminders come from (reminders@<domain>, or the domain of the configured address). */
  domain: string;
}

/**
 * The sender domain as an SES identity with Easy DKIM (2048-bit) and a custom MAIL FROM subdomain, so
 * mail is DKIM-signed and SPF-aligned with the domain people see: what Gmail and Yahoo require of bulk
 * senders. The DNS records the domain's owner must publish are stack outputs (see the README).
 */
export class SenderIdentity extends Construct {
  readonly identity: EmailIdentity;
  readonly mailFromDomain: string;

  constructor(scope: Construct, id: string, props: SenderIdentityProps) {
    super(scope, id);
    this.mailFromDomain = `mail.${props.domain}`;
    this.identity = new EmailIdentity(this, 'Domain', {
      identity: Identity.domain(props.domain),
      mailFromDomain: this.mailFromDomain,
      // Until the MAIL FROM records are published, SES falls back to its own domain rather than refuse.
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });

    const region = Stack.of(this).region;
    const records: [string, string][] = [
      ['DkimRecord1', `${this.identity.dkimDnsTokenName1} CNAME ${this.identity.dkimDnsTokenValue1}`],
      ['DkimRecord2', `${this.identity.dkimDnsTokenName2} CNAME ${this.identity.dkimDnsTokenValue2}`],
      ['DkimRecord3', `${this.identity.dkimDnsTokenName3} CNAME ${this.identity.dkimDnsTokenValue3}`],
      ['MailFromMxRecord', `${this.mailFromDomain} MX 10 feedback-smtp.${region}.amazonses.com`],
      ['MailFromSpfRecord', `${this.mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`],
      // A starting point: monitor first (p=none), then move to quarantine once reports look clean.
      [
        'SuggestedDmarcRecord',
        `_dmarc.${props.domain} TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@${props.domain}"`,
      ],
    ];
    for (const [name, value] of records) {
      new CfnOutput(this, name, { value, description: `DNS record to publish for ${props.domain}` });
    }
  }
}
