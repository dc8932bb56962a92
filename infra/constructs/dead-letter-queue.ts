import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  retention: Duration;
  /** Why the queue needs no dead-letter queue of its own (the cdk-nag SQS3 acknowledgement). */
  whyNoDeadLetterQueue: string;
  alarmId: string;
  /** What a message here means and what to do: the alarm's description. */
  alarmDescription: string;
  /** The metric's statistic, if not the default. */
  statistic?: string;
}

const deadLetterQueues = new WeakSet<Queue>();

/** True for a queue made by deadLetterQueueWithAlarm (the dashboard shows these apart). */
export const isDeadLetterQueue = (queue: Queue): boolean => deadLetterQueues.has(queue);

/**
 * A dead-letter queue (SSE, TLS only) and an alarm on its first message. Both are created in `scope`
 * under the ids given, so the construct tree (and the logical ids) are those of the queue's owner.
 */
export const deadLetterQueueWithAlarm = (scope: Construct, id: string, props: DeadLetterQueueProps) => {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: props.retention,
  });
  deadLetterQueues.add(queue);
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: props.whyNoDeadLetterQueue });
  const alarm = new Alarm(scope, props.alarmId, {
    alarmDescription: props.alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      ...(props.statistic ? { statistic: props.statistic } : {}),
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return { queue, alarm };
};
