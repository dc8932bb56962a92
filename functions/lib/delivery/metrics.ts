import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryMetrics } from './ports';

/** Delivery counts and SES latency as CloudWatch metrics (EMF): counts only, never who. */
export const powertoolsDeliveryMetrics = (metrics: Metrics): DeliveryMetrics => ({
  sent: (count) => count > 0 && metrics.addMetric('RecipientsSent', MetricUnit.Count, count),
  failed: (count) => count > 0 && metrics.addMetric('RecipientsFailed', MetricUnit.Count, count),
  throttled: (count) => count > 0 && metrics.addMetric('RecipientsThrottled', MetricUnit.Count, count),
  latency: (ms) => metrics.addMetric('SesBulkLatency', MetricUnit.Milliseconds, ms),
});
