import type { Audience, Role } from '../domain/roles';
import type { StepOffset } from '../playbooks/schema';
import type { TimelineStep } from '../timeline/lay-out';
import type { ElectionType, TimetableNation } from '../timetable/elections';
import type { Milestone, MilestoneKey } from '../timetable/timetable';

/**
 * `draft`: created, not yet approved by a second admin; nothing is scheduled, nobody can sign up and
 * no public page shows it. `open`: approved; its steps are scheduled. `cancelled`, `closed`.
 */
export const CAMPAIGN_STATUSES = ['draft', 'open', 'cancelled', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * A step's life: `scheduled` (one EventBridge schedule exists for it) → `due` (the schedule fired and
 * dispatch accepted it) → `sending` (dispatch enqueued every recipient) → `sent` (every recipient
 * settled). A step whose time had passed when it was laid out is scheduled at once (`late`) while it
 * is still worth sending, and `skipped` with its reason after that. `cancelled`: the campaign was
 * cancelled.
 */
export const STEP_STATUSES = ['scheduled', 'due', 'sending', 'sent', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Statuses a reschedule or cancel leaves alone: the step has fired, so moving it could send it twice. */
export const FIRED_STATUSES: readonly StepStatus[] = ['due', 'sending', 'sent'];

/**
 * A laid-out timeline step (key, roles, templates, date and send time) as the campaign keeps it. An
 * urgent alert (`kind: 'alert'`) is a step too, outside the playbook: no milestone, sent at once on
 * approval through the same pipeline, its rendered words in `data`.
 */
export interface CampaignStep extends Omit<TimelineStep, 'milestone' | 'offset'> {
  /** The milestone a playbook step is timed from (absent on an alert). */
  milestone?: MilestoneKey;
  offset?: StepOffset;
  /** `alert` for an urgent alert; absent for a playbook step. */
  kind?: 'alert';
  /** Extra template data every recipient of the step gets (an alert's subject, HTML and text). */
  data?: Record<string, string>;
  /** `<campaignId>.<key>`: unique across campaigns, for logs and delivery records. */
  id: string;
  /** Position in the laid-out timeline, so equal instants keep playbook order. */
  position: number;
  status: StepStatus;
  /** The schedule version: bumped whenever the step's schedule is replaced or withdrawn. */
  version: number;
  /** The deterministic EventBridge Scheduler schedule name. */
  scheduleName: string;
  /** Its planned time had passed when it was laid out, so it goes at once (sendAt is then). */
  late?: { plannedSendAt: string };
  /** Why a `skipped` step will not be sent, for the admin view. */
  skipReason?: string;
  firedAt?: string;
  /** Recipients enqueued by dispatch (set when the step becomes `sending`). */
  recipients?: number;
  sentAt?: string;
}

/** Steps in timeline order: by send instant, then by their place in the playbook. */
export const byTimelineOrder = (a: CampaignStep, b: CampaignStep) =>
  a.epochMs - b.epochMs || a.position - b.position;

/** Who runs the campaign: named in every email and page, the data controller in the privacy notice. */
export interface Organiser {
  name: string;
  email: string;
  phone?: string;
  /** https URL of the organiser's own site; its host joins the hosts our emails may link to. */
  website?: string;
}

/** A local contact for one audience, e.g. the police single point of contact for officials. */
export interface LocalContact {
  name: string;
  phone?: string;
  email?: string;
}

export interface Campaign {
  id: string;
  name: string;
  /** Absent only on campaigns created before organisers were asked for. */
  organiser?: Organiser;
  /** Local contacts by audience, shown in the steps that tell people to contact the police. */
  contacts: Partial<Record<Audience, LocalContact>>;
  pollDate: string;
  election: ElectionType;
  nation: TimetableNation;
  /** One-off days the timetable disregards (a day of public thanksgiving or mourning), YYYY-MM-DD. */
  nonWorkingDays: string[];
  /** The statutory timetable for the poll, as GET /timetable answers it. */
  milestones: Milestone[];
  playbook: string;
  timezone: string;
  status: CampaignStatus;
  steps: CampaignStep[];
  /** Optimistic-locking counter for the campaign item; every write checks and bumps it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
  /** Who created the draft (admin email or IAM principal); absent on campaigns from before drafts. */
  createdBy?: string;
  /** Everyone who created or edited the draft: none of them may approve it. */
  authors?: string[];
  approvedBy?: string;
  approvedAt?: string;
  /** A change to a live campaign waiting for a second admin's approval. At most one at a time. */
  pendingChange?: PendingChange;
  /** Urgent alerts prepared for this campaign, newest last. */
  alerts?: CampaignAlert[];
}

/** A change to a live campaign that reaches subscribers, waiting for a second admin. */
export interface PendingChange {
  id: string;
  kind: 'update' | 'cancel';
  /** For `update`: the fields to change, as PATCH took them. */
  update?: {
    pollDate?: string;
    nonWorkingDays?: string[];
    organiser?: Organiser;
    contacts?: Partial<Record<Audience, LocalContact>>;
  };
  proposedBy: string;
  proposedAt: string;
}

export const ALERT_STATUSES = ['draft', 'approved', 'withdrawn'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** An out-of-timeline message to chosen roles, in restricted Markdown, sent once a second approver agrees. */
export interface CampaignAlert {
  id: string;
  subject: string;
  /** The Markdown as written: paragraphs, bullet lists, emphasis and links to allowed hosts only. */
  body: string;
  roles: Role[];
  status: AlertStatus;
  createdBy: string;
  createdAt: string;
  approvedBy?: string;
  approvedAt?: string;
  withdrawnBy?: string;
  withdrawnAt?: string;
  /** The step that sends it (`alert-<id>`), once approved. */
  stepKey?: string;
}

/** What the public may see of a campaign: enough to choose one on the sign-up form. */
export interface PublicCampaign {
  id: string;
  name: string;
  pollDate: string;
  /** The organiser's name only. */
  organiser?: { name: string };
}

/** What a schedule's Input carries: ids only, never content or personal data. */
export interface DispatchInput {
  campaignId: string;
  stepKey: string;
  version: number;
}
