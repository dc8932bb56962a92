import type { AuditEntry, AuditLog } from '../../../functions/lib/audit/ports';
import { CampaignVersionConflictError, SchedulingFailedError } from '../../../functions/lib/campaigns/errors';
import { byTimelineOrder, type Campaign, type CampaignStep } from '../../../functions/lib/campaigns/model';
import type {
  CampaignRepository,
  ReminderSchedule,
  ReminderScheduler,
} from '../../../functions/lib/campaigns/ports';
import type { Clock } from '../../../functions/lib/clock';
import type { Playbook } from '../../../functions/lib/playbooks/index';

/**
 * In-memory fakes of the campaign ports, with the same conditional-write rules as the DynamoDB adapter
 * (test/integration/repository-contract.test.ts runs both through one contract).
 */

export class FakeClock implements Clock {
  constructor(private current: Date) {}
  now() {
    return new Date(this.current);
  }
  set(iso: string) {
    this.current = new Date(iso);
  }
}

const copy = <T>(value: T): T => structuredClone(value);
/** What the adapter reads back: a copy, its steps in timeline order (it stores them as a map). */
const stored = (campaign: Campaign): Campaign => ({
  ...copy(campaign),
  steps: [...copy(campaign.steps)].sort(byTimelineOrder),
});

export class FakeCampaignRepository implements CampaignRepository {
  readonly items = new Map<string, Campaign>();
  /** Runs before the next saveCampaign's version check: simulates another writer getting in first. */
  beforeNextSave?: () => void;

  async listCampaigns(options: { pollDateFrom?: string } = {}) {
    const from = options.pollDateFrom;
    // The adapter queries gsi1, sorted by `<pollDate>#<id>`, from a date when given.
    return [...this.items.values()]
      .filter((campaign) => !from || campaign.pollDate >= from)
      .sort((a, b) => a.pollDate.localeCompare(b.pollDate) || a.id.localeCompare(b.id))
      .map(stored);
  }
  async getCampaign(id: string) {
    const item = this.items.get(id);
    return item ? stored(item) : undefined;
  }
  async createCampaign(campaign: Campaign) {
    if (this.items.has(campaign.id)) throw new CampaignVersionConflictError(campaign.id);
    this.items.set(campaign.id, copy(campaign));
  }
  async saveCampaign(campaign: Campaign, expectedVersion: number) {
    const hook = this.beforeNextSave;
    this.beforeNextSave = undefined;
    hook?.();
    if (this.items.get(campaign.id)?.version !== expectedVersion) {
      throw new CampaignVersionConflictError(campaign.id);
    }
    this.items.set(campaign.id, copy(campaign));
  }
  async markStepDue(campaignId: string, stepKey: string, version: number, firedAt: string) {
    return this.moveStep({ campaignId, stepKey, version }, ['scheduled'], 'due', { firedAt }, firedAt);
  }
  async markStepSending(campaignId: string, stepKey: string, version: number, recipients: number) {
    return this.moveStep({ campaignId, stepKey, version }, ['due'], 'sending', { recipients });
  }
  async markStepSent(campaignId: string, stepKey: string, version: number, sentAt: string) {
    return this.moveStep({ campaignId, stepKey, version }, ['due', 'sending'], 'sent', { sentAt });
  }
  async markStepCancelled(campaignId: string, stepKey: string, version: number, at: string) {
    return this.moveStep(
      { campaignId, stepKey, version },
      ['due', 'sending'],
      'cancelled',
      {},
      at,
      'cancelled',
    );
  }

  /** The adapter's one conditional update: campaign status, step version and status, then bump the version. */
  private moveStep(
    { campaignId, stepKey, version }: { campaignId: string; stepKey: string; version: number },
    from: CampaignStep['status'][],
    to: CampaignStep['status'],
    attributes: Partial<CampaignStep>,
    updatedAt?: string,
    campaignStatus: Campaign['status'] = 'open',
  ): boolean {
    const campaign = this.items.get(campaignId);
    const step = campaign?.steps.find((s) => s.key === stepKey);
    if (!campaign || !step || campaign.status !== campaignStatus) return false;
    if (step.version !== version || !from.includes(step.status)) return false;
    Object.assign(step, attributes, { status: to });
    campaign.version += 1;
    if (updatedAt) campaign.updatedAt = updatedAt;
    return true;
  }
}

export class FakeScheduler implements ReminderScheduler {
  readonly schedules = new Map<string, ReminderSchedule>();
  readonly calls: string[] = [];
  /** Names whose upsert or remove fails with the given error (e.g. a throttling error). */
  readonly failing = new Map<string, Error>();

  async upsert(schedule: ReminderSchedule) {
    this.calls.push(`upsert ${schedule.name}`);
    const error = this.failing.get(schedule.name);
    if (error) throw asAdapterWould(`create schedule ${schedule.name}`, error);
    this.schedules.set(schedule.name, { ...schedule });
  }
  async remove(name: string) {
    this.calls.push(`remove ${name}`);
    const error = this.failing.get(name);
    if (error) throw asAdapterWould(`delete schedule ${name}`, error);
    this.schedules.delete(name);
  }
  /** Simulates Scheduler firing and then deleting a schedule (ActionAfterCompletion DELETE). */
  fire(name: string): ReminderSchedule {
    const schedule = this.schedules.get(name);
    if (!schedule) throw new Error(`no schedule ${name}`);
    this.schedules.delete(name);
    return schedule;
  }
}

/** Two steps either side of the March 2027 clock change, plus one on polling day. */
export const clockChangePlaybook: Playbook = {
  id: 'clock-change',
  name: 'Clock change',
  description: 'Steps either side of the last Sunday in March 2027.',
  steps: [
    {
      key: 'friday-before',
      title: 'Friday before',
      at: { milestone: 'polling-day', offset: { days: -14, unit: 'calendar' }, time: '09:00' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['candidate'],
      templates: { candidates: 'secure-accounts-candidates' },
    },
    {
      key: 'monday-after',
      title: 'Monday after',
      at: { milestone: 'polling-day', offset: { days: -11, unit: 'calendar' }, time: '09:00' },
      until: { milestone: 'polling-day', days: 0, time: '07:00' },
      roles: ['returning-officer'],
      templates: { officials: 'polling-staff-guide-officials' },
    },
    {
      key: 'polling-day',
      title: 'Polling day',
      at: { milestone: 'polling-day', offset: { days: 0, unit: 'calendar' }, time: '06:00' },
      until: { milestone: 'polling-day', days: 0, time: '12:00' },
      roles: ['candidate', 'agent'],
      templates: { candidates: 'polling-day-candidates' },
    },
  ],
};

export const makeDeps = (now = '2027-03-01T12:00:00Z') => {
  const campaigns = new FakeCampaignRepository();
  const scheduler = new FakeScheduler();
  const clock = new FakeClock(new Date(now));
  let n = 0;
  // 16 base32 characters, like the real ids: testcampaign + a letter + aaa.
  const newId = () => `testcampaign${'abcdefghijklmnopqrstuvwxyz'[n++ % 26]}aaa`;
  return { campaigns, scheduler, clock, newId };
};

/** The organiser every test campaign names (a reserved domain, so no real council). */
export const ORGANISER = {
  name: 'Anytown Borough Council',
  email: 'elections@anytown.example.org',
  phone: '01234 567890',
  website: 'https://www.anytown.example.org',
};

/** The audit log in memory, newest first on reading, as the DynamoDB adapter answers. */
export class FakeAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  async record(entry: AuditEntry) {
    this.entries.push(structuredClone(entry));
  }
  async list(options: { campaignId?: string; limit?: number } = {}) {
    return this.entries
      .filter((entry) => options.campaignId === undefined || entry.campaignId === options.campaignId)
      .reverse()
      .slice(0, options.limit ?? 100);
  }
}
/** As the Scheduler adapter does: any failure of the port is a SchedulingFailedError naming the SDK error. */
const asAdapterWould = (action: string, error: Error) =>
  new SchedulingFailedError(`EventBridge Scheduler could not ${action} (${error.name}).`, { cause: error });
