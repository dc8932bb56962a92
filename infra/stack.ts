import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PUBLIC_API_ROUTES } from '../functions/lib/http/api-routes';
import { PAGE_BUNDLE_FILES } from '../functions/lib/pages/paths';
import { TABLE_KEYS } from '../functions/lib/storage/table';
import { ALERT_TEMPLATE } from '../functions/lib/templates/names';
import type { InfraConfig } from './config';
import { Campaigns } from './constructs/campaigns';
import { ConfirmationEmails } from './constructs/confirmation-emails';
import { Console } from './constructs/console';
import { Delivery } from './constructs/delivery';
import { EmailTemplates } from './constructs/email-templates';
import { EsrFunction } from './constructs/esr-function';
import { EsrHttpApi } from './constructs/http-api';
import { Imports } from './constructs/imports';
import { Observability } from './constructs/observability';
import { OriginVerify, PublicCdn } from './constructs/public-edge';
import { SenderIdentity } from './constructs/sender-identity';
import { sesArn } from './constructs/ses-arn';
import { Storage } from './constructs/storage';
import { SubjectRights } from './constructs/subject-rights';
import { Subscriptions } from './constructs/subscriptions';
import { sesName, sesNamePrefix } from './ses-names';

export interface EsrStackProps extends StackProps {
  config: InfraConfig;
  /** CloudFront's AWS WAF web ACL (scope CLOUDFRONT, from the us-east-1 edge stack). */
  webAclArn: string;
}

/**
 * The whole service in one stack: storage, the HTTP API and its functions, the email templates,
 * campaigns on EventBridge Scheduler, the subscriber journey and delivery.
 */
export class ElectionSecurityRemindersStack extends Stack {
  constructor(scope: Construct, id: string, props: EsrStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    const { table } = new Storage(this, 'Storage');
    // The alarm topic and the dashboard; they find every alarm, function and queue of the stack at synth.
    new Observability(this, 'Observability', { alarmEmail: config.alarmEmail });
    const originVerify = new OriginVerify(this, 'OriginVerify', { logRetention });
    const http = new EsrHttpApi(this, 'Http', {
      logRetention,
      rateLimit: config.apiRateLimit,
      burstLimit: config.apiBurstLimit,
      publicAuthorizer: originVerify.authorizer,
    });
    // The public face: CloudFront with the WAF web ACL; the API answers public routes only through it.
    const cdn = new PublicCdn(this, 'Cdn', {
      api: http.api,
      originVerify,
      webAclArn: props.webAclArn,
      domainName: config.domainName,
      certificateArn: config.certificateArn,
      originSecretVersionId: config.originSecretVersionId,
    });
    // SES names are limited to 64 characters: a long stack name is shortened with a hash (ses-names.ts).
    const sesPrefix = sesNamePrefix(this.stackName);
    new EmailTemplates(this, 'EmailTemplates', { prefix: sesPrefix });

    const publicBaseUrl = config.publicBaseUrl || cdn.url;
    const api = new EsrFunction(this, 'PublicApi', {
      entry: 'api',
      description: 'Public HTTP API: health, open campaigns, sign-up pages',
      logRetention,
      environment: { TABLE_NAME: table.tableName, PUBLIC_BASE_URL: publicBaseUrl },
      // The sign-up pages' nunjucks views and govuk-frontend's macros, CSS, fonts and images.
      copyIntoBundle: PAGE_BUNDLE_FILES,
    });
    // Subscriptions and campaigns by key, open campaigns from gsi1: never delivery records. (Suppressions
    // are judged by the confirmation-email function.)
    api.grantTable(table, 'read', {
      indexNames: [TABLE_KEYS.gsi1.indexName],
      leadingKeys: ['SUB#*', 'CAMPAIGN#*'],
    });
    // Every route the public function serves, as declared once in functions/lib/http/api-routes.ts.
    http.addPublicRoutes(api, PUBLIC_API_ROUTES);

    const admin = new EsrFunction(this, 'AdminApi', {
      entry: 'admin-api',
      description: 'Admin HTTP API (IAM-authorised): campaigns, approvals, urgent alerts, audit log, imports',
      logRetention,
      // Reading and storing a 20,000-row import takes a few seconds (14 s on a loaded 2-core machine);
      // API Gateway waits up to 30 s for an HTTP API integration.
      timeout: Duration.seconds(29),
      environment: {
        TABLE_NAME: table.tableName,
        AUDIT_RETENTION_DAYS: String(config.auditRetentionDays),
        SES_TEMPLATE_PREFIX: sesPrefix,
      },
    });
    // Campaigns and their step counts (CAMPAIGN# items) and the audit log (AUDIT# items): read, create
    // and replace; no delete, no batch write, no subscriber or delivery item. The campaign list and
    // the newest audit entries come from gsi1.
    admin.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CAMPAIGN#*', 'AUDIT#*'] } },
      }),
    );
    // An urgent alert's preview renders the alert template through SES itself; nothing is sent.
    admin.role.addToPolicy(
      new PolicyStatement({
        actions: ['ses:TestRenderEmailTemplate'],
        resources: [sesArn(this, 'template', `${sesPrefix}${ALERT_TEMPLATE}`)],
      }),
    );
    admin.grantIndexQuery(table, [TABLE_KEYS.gsi1.indexName]);
    // The console's stored allow-list (`esr admins`), and the audit entries its changes make.
    admin.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ADMINS'] } },
      }),
    );
    admin.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      }),
    );
    admin.addEnvironment({ ESR_ADMINS: config.admins });
    http.addAdminRoutes(admin);

    const campaigns = new Campaigns(this, 'Campaigns', { table, admin, logRetention });

    // Every email goes through this configuration set, whose bounces and complaints suppress addresses.
    const configurationSetName = sesName(sesPrefix, 'reminders');
    const subscriptions = new Subscriptions(this, 'Subscriptions', {
      api,
      table,
      senderEmail: config.senderEmail,
      senderDomain: config.senderDomain,
      templatePrefix: sesPrefix,
      retentionDays: config.subscriptionRetentionDays,
      configurationSet: configurationSetName,
    });

    const subjectRights = new SubjectRights(this, 'SubjectRights', {
      table,
      api,
      admin,
      tokenSecret: subscriptions.secret,
    });

    const sender = new SenderIdentity(this, 'SenderIdentity', { domain: subscriptions.identity });

    const delivery = new Delivery(this, 'Delivery', {
      table,
      dispatch: campaigns.dispatch,
      tokenSecret: subscriptions.secret,
      logRetention,
      identity: subscriptions.identity,
      senderEmail: subscriptions.senderEmail,
      templatePrefix: sesPrefix,
      publicBaseUrl,
      sendConcurrency: config.sendConcurrency,
      configurationSetName,
    });
    // Mail goes out only once the domain identity exists (its DKIM records may still be pending in DNS).
    for (const fn of [api.fn, delivery.send.fn]) fn.node.addDependency(sender.identity);
    // The API sends confirmation and welcome emails through the configuration set, so it must exist first.
    api.fn.node.addDependency(delivery.configurationSet);

    const confirmations = new ConfirmationEmails(this, 'ConfirmationEmails', {
      table,
      api,
      tokenSecret: subscriptions.secret,
      logRetention,
      identity: subscriptions.identity,
      senderEmail: subscriptions.senderEmail,
      templatePrefix: sesPrefix,
      configurationSetName,
      publicBaseUrl,
    });
    confirmations.sender.fn.node.addDependency(delivery.configurationSet);

    // The admin console on /console/*, through CloudFront like the public pages.
    const adminConsole = new Console(this, 'Console', {
      table,
      http,
      tokenSecret: subscriptions.secret,
      logRetention,
      admins: config.admins,
      identity: subscriptions.identity,
      senderEmail: subscriptions.senderEmail,
      configurationSetName,
      publicBaseUrl,
      templatePrefix: sesPrefix,
    });
    // The console's campaign pages schedule through the same campaign core as the admin API.
    campaigns.grantScheduling(adminConsole.fn);
    adminConsole.signInSender.fn.node.addDependency(delivery.configurationSet, sender.identity);
    // Staff imports: a queued job per file; invitations go through the confirmation queue.
    const imports = new Imports(this, 'Imports', {
      table,
      admin,
      confirmationQueue: confirmations.queue,
      tokenSecret: subscriptions.secret,
      logRetention,
    });
    // The console's import pages create jobs as the admin API does; its subscriber pages export and erase.
    imports.grantJobCreation(adminConsole.fn);
    subjectRights.grantExportAndErase(adminConsole.fn);
  }
}
