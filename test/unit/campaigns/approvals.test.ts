import { describe, expect, it } from 'vitest';
import {
  approveCampaign,
  changeCampaign,
  requestCancel,
  withdrawPendingChange,
} from '../../../functions/lib/campaigns/approvals';
import { createCampaign, getCampaign } from '../../../functions/lib/campaigns/campaigns';
import { listOpenCampaigns } from '../../../functions/lib/campaigns/list-open-campaigns';
import { ConflictError, ForbiddenError } from '../../../functions/lib/errors';
import {
  createOpenCampaign,
  TEST_APPROVER,
  TEST_EDITOR,
  TEST_SECOND_APPROVER,
  TEST_VIEWER,
} from '../../support/campaigns';
import { FakeAuditLog, makeDeps, ORGANISER } from './fakes';

const input = {
  name: 'Anytown council 2027',
  pollDate: '2027-05-06',
  nation: 'england' as const,
  organiser: ORGANISER,
};
const auditedDeps = (now?: string) => ({ ...makeDeps(now), audit: new FakeAuditLog() });

describe('drafts', () => {
  it('creates a draft: nothing scheduled, not offered to the public, its author recorded', async () => {
    const deps = auditedDeps();

    const { campaign } = await createCampaign(deps, input, TEST_EDITOR);

    expect(campaign).toMatchObject({
      status: 'draft',
      createdBy: TEST_EDITOR.email,
      authors: [TEST_EDITOR.email],
    });
    expect(deps.scheduler.calls).toEqual([]);
    expect(await listOpenCampaigns(deps)).toEqual([]);
    expect(deps.audit.entries).toEqual([
      {
        at: '2027-03-01T12:00:00.000Z',
        actor: TEST_EDITOR.email,
        action: 'campaign.created',
        campaignId: campaign.id,
      },
    ]);
  });

  it('refuses a viewer (403)', async () => {
    await expect(createCampaign(auditedDeps(), input, TEST_VIEWER)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('is approved only by an approver who neither created nor edited it; approval schedules every step', async () => {
    const deps = auditedDeps();
    const { campaign: draft } = await createCampaign(deps, input, TEST_EDITOR);
    await changeCampaign(deps, {
      campaignId: draft.id,
      input: { pollDate: '2027-05-13' },
      actor: TEST_APPROVER,
    });

    const own = await approveCampaign(deps, { campaignId: draft.id, approver: TEST_APPROVER }).catch(
      (e) => e,
    );
    const editor = await approveCampaign(deps, { campaignId: draft.id, approver: { ...TEST_EDITOR } }).catch(
      (e) => e,
    );
    expect(own).toBeInstanceOf(ForbiddenError);
    expect(own.message).toMatch(/You created or edited this draft/);
    expect(editor).toBeInstanceOf(ForbiddenError);
    expect(deps.scheduler.calls).toEqual([]);

    const outcome = await approveCampaign(deps, { campaignId: draft.id, approver: TEST_SECOND_APPROVER });

    expect(outcome.approved).toBe('draft');
    expect(outcome.campaign).toMatchObject({
      status: 'open',
      pollDate: '2027-05-13',
      approvedBy: TEST_SECOND_APPROVER.email,
      authors: [TEST_EDITOR.email, TEST_APPROVER.email],
    });
    expect(deps.scheduler.schedules.size).toBe(outcome.campaign.steps.length);
    expect((await listOpenCampaigns(deps)).map((open) => open.id)).toEqual([draft.id]);
    expect(deps.audit.entries.map((entry) => [entry.action, entry.actor])).toEqual([
      ['campaign.created', TEST_EDITOR.email],
      ['draft.edited', TEST_APPROVER.email],
      ['campaign.approved', TEST_SECOND_APPROVER.email],
    ]);
  });

  it('answers 409 when nothing is waiting for approval', async () => {
    const deps = auditedDeps();
    const { campaign } = await createOpenCampaign(deps, input);

    await expect(
      approveCampaign(deps, { campaignId: campaign.id, approver: TEST_SECOND_APPROVER }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('discards a draft at once: it reached nobody', async () => {
    const deps = auditedDeps();
    const { campaign: draft } = await createCampaign(deps, input, TEST_EDITOR);

    const outcome = await requestCancel(deps, { campaignId: draft.id, actor: TEST_EDITOR });

    expect(outcome).toMatchObject({ outcome: 'applied', campaign: { status: 'cancelled' } });
    expect(deps.audit.entries.at(-1)).toMatchObject({ action: 'draft.discarded', actor: TEST_EDITOR.email });
  });
});

describe('changes to a live campaign', () => {
  it('proposes a new poll date, changing nothing, then applies it exactly once a second approver approves', async () => {
    const deps = auditedDeps();
    const { campaign: open } = await createOpenCampaign(deps, input);
    const schedulesBefore = structuredClone([...deps.scheduler.schedules.values()]);

    const proposed = await changeCampaign(deps, {
      campaignId: open.id,
      input: { pollDate: '2027-05-13' },
      actor: TEST_EDITOR,
    });

    expect(proposed.outcome).toBe('proposed');
    expect(proposed.campaign.pollDate).toBe('2027-05-06');
    expect(proposed.campaign.pendingChange).toMatchObject({
      kind: 'update',
      update: { pollDate: '2027-05-13' },
      proposedBy: TEST_EDITOR.email,
    });
    expect([...deps.scheduler.schedules.values()]).toEqual(schedulesBefore);

    // A second proposal waits for the first to be settled.
    await expect(requestCancel(deps, { campaignId: open.id, actor: TEST_APPROVER })).rejects.toBeInstanceOf(
      ConflictError,
    );
    // Proposer cannot approve; a stale changeId is refused.
    const proposer = { ...TEST_EDITOR, role: 'approver' as const };
    await expect(approveCampaign(deps, { campaignId: open.id, approver: proposer })).rejects.toThrow(
      /You proposed this change/,
    );
    await expect(
      approveCampaign(deps, { campaignId: open.id, approver: TEST_APPROVER, changeId: '000000000000' }),
    ).rejects.toBeInstanceOf(ConflictError);

    const change = proposed.outcome === 'proposed' ? proposed.change : undefined;
    const outcome = await approveCampaign(deps, {
      campaignId: open.id,
      approver: TEST_APPROVER,
      changeId: change?.id,
    });

    expect(outcome.approved).toBe('update');
    expect(outcome.campaign.pollDate).toBe('2027-05-13');
    expect(outcome.campaign.pendingChange).toBeUndefined();
    expect(deps.scheduler.schedules.get(`esr-${open.id}-secure-accounts`)?.localTime).toBe(
      '2027-04-01T09:00:00',
    );
    expect(deps.audit.entries.slice(-2).map((entry) => [entry.action, entry.actor])).toEqual([
      ['change.proposed', TEST_EDITOR.email],
      ['change.approved', TEST_APPROVER.email],
    ]);
  });

  it('treats organiser and contact edits as changes that reach subscribers', async () => {
    const deps = auditedDeps();
    const { campaign: open } = await createOpenCampaign(deps, input);

    const proposed = await changeCampaign(deps, {
      campaignId: open.id,
      input: { organiser: { ...ORGANISER, name: 'Othertown Council' } },
      actor: TEST_EDITOR,
    });

    expect(proposed.outcome).toBe('proposed');
    expect((await getCampaign(deps, open.id)).organiser?.name).toBe(ORGANISER.name);
  });

  it('cancels only once a second approver approves, then removes every schedule', async () => {
    const deps = auditedDeps();
    const { campaign: open } = await createOpenCampaign(deps, input);

    const proposed = await requestCancel(deps, { campaignId: open.id, actor: TEST_APPROVER });
    expect(proposed.outcome).toBe('proposed');
    expect(deps.scheduler.schedules.size).toBeGreaterThan(0);

    await expect(
      approveCampaign(deps, { campaignId: open.id, approver: TEST_APPROVER }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const outcome = await approveCampaign(deps, { campaignId: open.id, approver: TEST_SECOND_APPROVER });

    expect(outcome).toMatchObject({ approved: 'cancel', campaign: { status: 'cancelled' } });
    expect(deps.scheduler.schedules.size).toBe(0);
  });

  it('lets the proposer withdraw and an approver reject, but not another editor', async () => {
    const deps = auditedDeps();
    const { campaign: open } = await createOpenCampaign(deps, input);
    const propose = () =>
      changeCampaign(deps, {
        campaignId: open.id,
        input: { nonWorkingDays: ['2027-04-14'] },
        actor: TEST_EDITOR,
      });

    await propose();
    await expect(
      withdrawPendingChange(deps, {
        campaignId: open.id,
        actor: { email: 'other@example.org', role: 'editor' },
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const withdrawn = await withdrawPendingChange(deps, { campaignId: open.id, actor: TEST_EDITOR });
    expect(withdrawn.pendingChange).toBeUndefined();
    await propose();
    await withdrawPendingChange(deps, { campaignId: open.id, actor: TEST_SECOND_APPROVER });

    expect(
      deps.audit.entries.map((entry) => entry.action).filter((action) => action.startsWith('change.')),
    ).toEqual(['change.proposed', 'change.withdrawn', 'change.proposed', 'change.rejected']);
    await expect(
      withdrawPendingChange(deps, { campaignId: open.id, actor: TEST_EDITOR }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await getCampaign(deps, open.id)).nonWorkingDays).toEqual([]);
  });
});
