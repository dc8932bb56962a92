import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_METRICS } from '../../functions/lib/delivery/metrics';
import { buildTestApp } from '../support/cdk-app';

type Resources = Record<string, { Properties: Record<string, unknown> }>;
interface Widget {
  properties: { title?: string; metrics?: unknown[][] };
}

/** The dashboard's body as JSON, each reference to a resource written as its logical id. */
const dashboardOf = (template: Template): { widgets: Widget[] } => {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard') as Resources);
  const body = dashboard?.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  if (typeof body === 'string') return JSON.parse(body);
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return ref.Ref ?? ref['Fn::GetAtt']?.[0] ?? '<token>';
    })
    .join('');
  return JSON.parse(text);
};
const widget = (template: Template, title: RegExp) => {
  const found = dashboardOf(template).widgets.find((w) => title.test(w.properties.title ?? ''));
  if (!found) throw new Error(`no widget titled ${title}`);
  return found.properties.metrics ?? [];
};

describe('CDK: tracing, the alarm topic and the operations dashboard', () => {
  let template: Template;

  beforeAll(() => {
    template = buildTestApp({ stackName: 'EsrObs' }).template();
  });

  it('traces every function with X-Ray, and lets each role write its traces', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Resources;
    const ours = Object.entries(functions).filter(([, f]) =>
      JSON.stringify(f.Properties.Environment ?? {}).includes('POWERTOOLS_SERVICE_NAME'),
    );
    expect(ours.length).toBeGreaterThanOrEqual(6);
    for (const [id, fn] of ours) {
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
        .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(
          (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
        );
      const actions = statements.flatMap((s) => [s.Action].flat());
      expect(actions, id).toEqual(
        expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
      );
    }
  });

  it('has one alarm topic, encrypted with a rotated customer managed key CloudWatch may use, TLS only', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    const [keyId, key] = Object.entries(template.findResources('AWS::KMS::Key') as Resources).find(([id]) =>
      id.startsWith('ObservabilityAlarmTopicKey'),
    ) ?? [undefined, undefined];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(JSON.stringify(key?.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('emails the alarm topic only when alarmEmail is given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = buildTestApp({
      stackName: 'EsrObsMail',
      alarmEmail: 'ops@anytown.example.org',
    }).template();
    withEmail.resourceCountIs('AWS::SNS::Subscription', 1);
    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@anytown.example.org',
    });
  });

  it('refuses an alarmEmail that is not an address', () => {
    expect(() => buildTestApp({ stackName: 'EsrObsBad', alarmEmail: 'ops' })).toThrow(/alarmEmail/);
  });

  it('notifies the topic from every alarm, the six dead-letter queue alarms among them', () => {
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    const alarms = template.findResources('AWS::CloudWatch::Alarm') as Resources;
    const deadLetterAlarms = Object.values(alarms).filter(
      (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    // Schedules, send, feedback, confirmations, console sign-ins and imports.
    expect(deadLetterAlarms).toHaveLength(6);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('charts the send function’s own metrics: recipients sent, failed and throttled, and SES latency', () => {
    const sends = widget(template, /^Recipients/);
    const names = sends.map((m) => m.slice(0, 4));
    for (const name of [DELIVERY_METRICS.sent, DELIVERY_METRICS.failed, DELIVERY_METRICS.throttled]) {
      expect(names).toContainEqual([DELIVERY_METRICS.namespace, name, 'service', DELIVERY_METRICS.service]);
    }
    const latency = widget(template, /latency/);
    expect(latency.map((m) => m[1])).toEqual([
      DELIVERY_METRICS.latency,
      DELIVERY_METRICS.latency,
      DELIVERY_METRICS.latency,
    ]);
    expect(latency.map((m) => (m.at(-1) as { stat: string }).stat)).toEqual(['p50', 'p99', 'Maximum']);
  });

  it('tabulates sends per campaign step from the send function’s own log group', () => {
    const perStep = dashboardOf(template).widgets.find((w) =>
      w.properties.title?.startsWith('Sends per campaign step'),
    );
    const query = (perStep?.properties as { query?: string } | undefined)?.query ?? '';
    const sendLogs = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) =>
      /^DeliverySendLogs/.test(id),
    );
    expect(sendLogs).toBeDefined();
    expect(query).toContain(`SOURCE '${sendLogs}'`);
    expect(query).toContain('filter message = "Batch processed"');
    expect(query).toMatch(/stats sum\(sent\) as sent, sum\(failed\) as failed, .* by campaignId, stepKey/);
  });

  it('charts errors and throttles of every function, and the depth of every queue, dead-letter queues apart', () => {
    const functionIds = Object.keys(template.findResources('AWS::Lambda::Function')).filter(
      (id) => !id.startsWith('Custom') && !id.startsWith('AWS'),
    );
    const charted = (metrics: unknown[][]) => metrics.map((m) => m[3]);
    expect(charted(widget(template, /^Function errors/)).sort()).toEqual([...functionIds].sort());
    expect(charted(widget(template, /^Function throttles/)).sort()).toEqual([...functionIds].sort());

    const queueIds = Object.keys(template.findResources('AWS::SQS::Queue'));
    const deadLetterIds = charted(widget(template, /^Dead-letter/));
    const workIds = charted(widget(template, /^Queue depth/));
    expect(deadLetterIds).toHaveLength(6);
    expect(workIds.length).toBeGreaterThanOrEqual(2);
    expect([...deadLetterIds, ...workIds].sort()).toEqual([...queueIds].sort());
    // The send queue is work, its dead-letter queue is not.
    expect(workIds.some((id) => String(id).startsWith('DeliverySendQueue'))).toBe(true);
    expect(deadLetterIds.some((id) => String(id).startsWith('DeliverySendDeadLetterQueue'))).toBe(true);
  });
});
