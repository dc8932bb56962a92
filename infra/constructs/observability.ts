import { Aspects, Duration, type IAspect, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  Dashboard,
  GraphWidget,
  type IMetric,
  LogQueryVisualizationType,
  LogQueryWidget,
  Metric,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { DELIVERY_METRICS } from '../../functions/lib/delivery/metrics';
import { isDeadLetterQueue } from './dead-letter-queue';
import { EsrFunction } from './esr-function';

export interface ObservabilityProps {
  /** Where alarm notifications are emailed (CDK context `alarmEmail`); the topic exists without it. */
  alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);

/**
 * What an operator watches: an SNS topic every alarm in the stack notifies (KMS-encrypted, TLS only,
 * optionally emailed), and one CloudWatch dashboard: recipients sent, failed and throttled by SES,
 * SES call latency (the metrics the send function emits), sends per campaign step, errors and throttles of every function,
 * and the depth of every queue and dead-letter queue. Alarms, functions and queues are found in the
 * whole stack when it is synthesised, so constructs added later are covered without wiring.
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // CloudWatch alarms can publish to an encrypted topic only with a customer managed key they may use.
    const key = new Key(this, 'AlarmTopicKey', {
      description: `Encrypts ${stack.stackName}'s alarm notifications`,
      enableKeyRotation: true,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `${stack.stackName} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    const delivery = (name: string, statistic: string, label: string): Metric =>
      new Metric({
        namespace: DELIVERY_METRICS.namespace,
        metricName: name,
        dimensionsMap: { service: DELIVERY_METRICS.service },
        statistic,
        period: PERIOD,
        label,
      });
    const sends = new GraphWidget({
      title: 'Recipients per 5 minutes (send function)',
      width: 12,
      left: [
        delivery(DELIVERY_METRICS.sent, Stats.SUM, 'sent'),
        delivery(DELIVERY_METRICS.failed, Stats.SUM, 'failed'),
        delivery(DELIVERY_METRICS.throttled, Stats.SUM, 'throttled by SES (retried)'),
      ],
    });
    const latency = new GraphWidget({
      title: 'SES SendBulkEmail latency (ms, measured by the send function)',
      width: 12,
      left: [
        delivery(DELIVERY_METRICS.latency, Stats.p(50), 'p50'),
        delivery(DELIVERY_METRICS.latency, Stats.p(99), 'p99'),
        delivery(DELIVERY_METRICS.latency, Stats.MAXIMUM, 'max'),
      ],
    });
    const errors = new GraphWidget({ title: 'Function errors', width: 12 });
    const throttles = new GraphWidget({ title: 'Function throttles', width: 12 });
    const queues = new GraphWidget({ title: 'Queue depth (messages visible)', width: 12 });
    const deadLetters = new GraphWidget({ title: 'Dead-letter queue depth (alarms at 1)', width: 12 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${stack.stackName}\nDelivery, functions and queues. A message in a dead-letter queue raises an alarm to the alarm topic.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(sends, latency);
    this.dashboard.addWidgets(errors, throttles);
    this.dashboard.addWidgets(queues, deadLetters);

    // Sends per campaign step: from the send function's "Batch processed" lines (ids and counts only),
    // so the metrics need no per-step dimension.
    const dashboard = this.dashboard;
    const sendsPerStep = (send: EsrFunction) =>
      new LogQueryWidget({
        title: 'Sends per campaign step (send function logs)',
        logGroupNames: [send.logGroup.logGroupName],
        view: LogQueryVisualizationType.TABLE,
        width: 24,
        queryLines: [
          'filter message = "Batch processed"',
          'stats sum(sent) as sent, sum(failed) as failed, sum(suppressed) as suppressed, sum(requeued) as requeued by campaignId, stepKey',
          'sort sent desc',
        ],
      });

    const notify = new SnsAction(this.alarmTopic);
    const label = (node: IConstruct) => node.node.path.split('/').slice(1).join('/');
    const visitor: IAspect = {
      visit(node: IConstruct) {
        if (node instanceof Alarm) {
          node.addAlarmAction(notify);
          node.addOkAction(notify);
        } else if (node instanceof EsrFunction) {
          const name = label(node);
          if (node.entry === 'send') dashboard.addWidgets(sendsPerStep(node));
          errors.addLeftMetric(node.fn.metricErrors({ period: PERIOD, statistic: Stats.SUM, label: name }));
          throttles.addLeftMetric(
            node.fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM, label: name }),
          );
        } else if (node instanceof Queue) {
          const depth: IMetric = node.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: Stats.MAXIMUM,
            label: label(node),
          });
          (isDeadLetterQueue(node) ? deadLetters : queues).addLeftMetric(depth);
        }
      },
    };
    Aspects.of(stack).add(visitor);
  }
}
