import { CfnTemplate } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { loadTemplates } from '../../functions/lib/templates';
import { sesName } from '../ses-names';

/** The SES templates from templates/, named `<prefix><name>` so two stacks in one account don't collide. */
export class EmailTemplates extends Construct {
  readonly prefix: string;
  readonly names: string[];

  constructor(scope: Construct, id: string, props: { prefix: string }) {
    super(scope, id);
    this.prefix = props.prefix;
    this.names = [];
    for (const template of loadTemplates()) {
      const templateName = sesName(props.prefix, template.name);
      new CfnTemplate(this, template.name, {
        template: {
          templateName,
          subjectPart: template.subject,
          htmlPart: template.html,
          textPart: template.text,
        },
      });
      this.names.push(templateName);
    }
  }
}
