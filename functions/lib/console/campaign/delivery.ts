import { byTimelineOrder, type Campaign } from '../../campaigns/model';
import type { DeliveryCounts } from '../../campaigns/ports';
import { type DisplayStatus, displayStatus, STATUS_STYLES } from './timeline-svg';

/**
 * Delivery counts per step, as the campaign page's table and its JSON refresh show them: from the
 * same delivery stats the admin API answers with (`DeliveryStats.countsFor`). A step that has not
 * fired has no counts; one that is sending shows how many of its recipients have settled.
 */
export interface DeliveryRow {
  key: string;
  /** The step's number on the timeline picture. */
  number: number;
  title: string;
  status: DisplayStatus;
  statusLabel: string;
  recipients: number;
  sent: number;
  failed: number;
  suppressed: number;
  /** sent + failed + suppressed, never more than recipients. */
  settled: number;
  /** Whole per cent of recipients settled; 0 with no recipients. */
  percent: number;
  /** True while the step is going out: the page shows a progress bar and keeps refreshing. */
  inProgress: boolean;
  /** Counts exist (the step fired). */
  hasCounts: boolean;
}

export interface DeliveryReport {
  campaignId: string;
  /** Whether anything may still change: a step is sending or waits to be sent. */
  active: boolean;
  steps: DeliveryRow[];
  totals: Pick<DeliveryRow, 'recipients' | 'sent' | 'failed' | 'suppressed'>;
}

export const deliveryReport = (
  campaign: Campaign,
  counts: Record<string, DeliveryCounts>,
): DeliveryReport => {
  const steps = [...campaign.steps].sort(byTimelineOrder).map((step, index): DeliveryRow => {
    const found = counts[step.key];
    const recipients = found?.recipients ?? step.recipients ?? 0;
    const sent = found?.sent ?? 0;
    const failed = found?.failed ?? 0;
    const suppressed = found?.suppressed ?? 0;
    const settled = Math.min(sent + failed + suppressed, recipients);
    const status = displayStatus(step);
    return {
      key: step.key,
      number: index + 1,
      title: step.title,
      status,
      statusLabel: STATUS_STYLES[status].label,
      recipients,
      sent,
      failed,
      suppressed,
      settled,
      percent: recipients > 0 ? Math.floor((settled / recipients) * 100) : 0,
      inProgress: status === 'sending',
      hasCounts: found !== undefined || step.recipients !== undefined,
    };
  });
  const sum = (field: 'recipients' | 'sent' | 'failed' | 'suppressed') =>
    steps.reduce((total, row) => total + row[field], 0);
  return {
    campaignId: campaign.id,
    active:
      campaign.status !== 'cancelled' &&
      steps.some((row) => row.inProgress || row.status === 'scheduled' || row.status === 'late'),
    steps,
    totals: {
      recipients: sum('recipients'),
      sent: sum('sent'),
      failed: sum('failed'),
      suppressed: sum('suppressed'),
    },
  };
};
