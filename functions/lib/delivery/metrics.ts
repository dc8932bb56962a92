import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryMetrics } from './ports';

/** Where the send function's metrics land in CloudWatch (the dashboard reads the same names). */
export const DELIVERY_METRICS = {
  namespace: 'ElectionSecurityReminders',
  /** Powertools' `service` dimension. */
  service: 'send',
  sent: 'RecipientsSent',
  failed: 'RecipientsFailed',
  throttled: 'RecipientsThrottled',
  latency: 'SesBulkLatency',
} as const;

/** Delivery counts and SES latency as CloudWatch metrics (EMF): counts only, never who. */
export const powertoolsDeliveryMetrics = (metrics: Metrics): DeliveryMetrics => ({
  sent: (count) => count > 0 && metrics.addMetric(DELIVERY_METRICS.sent, MetricUnit.Count, count),
  failed: (count) => count > 0 && metrics.addMetric(DELIVERY_METRICS.failed, MetricUnit.Count, count),
  throttled: (count) => count > 0 && metrics.addMetric(DELIVERY_METRICS.throttled, MetricUnit.Count, count),
  latency: (ms) => metrics.addMetric(DELIVERY_METRICS.latency, MetricUnit.Milliseconds, ms),
});
