import { describe, expect, it } from 'vitest';
import { isCampaignId, newCampaignId, scheduleNameFor } from '../../../functions/lib/campaigns/ids';

describe('campaign ids and schedule names', () => {
  it('makes 16-character base32 ids that differ each time', () => {
    const ids = new Set(Array.from({ length: 200 }, newCampaignId));

    expect(ids.size).toBe(200);
    for (const id of ids) expect(isCampaignId(id)).toBe(true);
  });

  it('names a schedule esr-<campaignId>-<stepKey>, the same every time', () => {
    expect(scheduleNameFor('abcdefghijk23456', 'polling-day')).toBe('esr-abcdefghijk23456-polling-day');
  });

  it('keeps a long step key within 64 allowed characters without two keys colliding', () => {
    const long = 'a-very-long-step-key-that-goes-on-and-on-and-on-x';
    const other = 'a-very-long-step-key-that-goes-on-and-on-and-on-y';

    const name = scheduleNameFor('abcdefghijk23456', long);

    expect(name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    expect(name).toHaveLength(64);
    expect(name).not.toBe(scheduleNameFor('abcdefghijk23456', other));
  });
});
