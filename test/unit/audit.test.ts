import { describe, expect, it } from 'vitest';
import { auditQuerySchema, listAudit, recordAudit, sanitiseDetail } from '../../functions/lib/audit/audit';
import { FakeAuditLog } from './campaigns/fakes';

describe('audit core', () => {
  it('keeps no address in an entry’s detail, whatever a caller puts there', () => {
    expect(
      sanitiseDetail({ note: 'sent to jo.bloggs+x@example.org today', to: ['a@b.co', 'ok'], count: 3 }),
    ).toEqual({ note: 'sent to [address removed] today', to: ['[address removed]', 'ok'], count: 3 });
  });

  it('records and lists newest first, by campaign', async () => {
    const log = new FakeAuditLog();
    await recordAudit(log, {
      at: '2027-01-01T00:00:00Z',
      actor: 'a@example.org',
      action: 'campaign.created',
      campaignId: 'aaaaaaaaaaaaaaaa',
    });
    await recordAudit(log, {
      at: '2027-01-02T00:00:00Z',
      actor: 'b@example.org',
      action: 'campaign.approved',
      campaignId: 'aaaaaaaaaaaaaaaa',
    });
    await recordAudit(log, {
      at: '2027-01-03T00:00:00Z',
      actor: 'b@example.org',
      action: 'console.signed-in',
    });

    expect((await listAudit(log, { campaignId: 'aaaaaaaaaaaaaaaa' })).map((entry) => entry.action)).toEqual([
      'campaign.approved',
      'campaign.created',
    ]);
    expect(await listAudit(log, { limit: 1 })).toHaveLength(1);
  });

  it('refuses a malformed query, naming the field', () => {
    const result = auditQuerySchema.safeParse({ campaignId: 'nope', limit: '0' });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['campaignId', 'limit']);
  });
});
