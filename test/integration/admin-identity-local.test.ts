/**
 * The local stack's X-Esr-Admin uses the console's allow-list: an admin added at run time (`esr
 * admins add`, PUT /admin/admins/{email}) may be named at once, with the stored role; one removed
 * may not. Before, the local stack read ESR_ADMINS with a parser of its own and knew no stored admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootLocalStack } from '../support/local-stack';

describe('X-Esr-Admin on the local stack', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  const admin = (path: string, init: RequestInit & { as?: string } = {}) =>
    fetch(`${local.stack.apiUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${local.stack.adminToken}`,
        'content-type': 'application/json',
        ...(init.as ? { 'x-esr-admin': init.as } : {}),
      },
    });

  beforeAll(async () => {
    local = await bootLocalStack();
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('names an admin stored with esr admins add, and no longer one removed', async () => {
    const carol = 'carol.stored@example.org';
    expect((await admin('/admin/campaigns', { as: carol })).status).toBe(403);
    const added = await admin(`/admin/admins/${encodeURIComponent(carol)}`, {
      method: 'PUT',
      body: JSON.stringify({ role: 'viewer' }),
    });
    expect(added.status).toBe(200);
    expect((await admin('/admin/campaigns', { as: carol.toUpperCase() })).status).toBe(200);
    // A viewer cannot create a campaign: the stored role is the one the request carries.
    const created = await admin('/admin/campaigns', {
      method: 'POST',
      as: carol,
      body: JSON.stringify({
        name: 'Viewer attempt',
        pollDate: '2027-05-06',
        nation: 'england',
        organiser: { name: 'Anytown Borough Council', email: 'elections@anytown.example.org' },
      }),
    });
    expect(created.status).toBe(403);
    expect(
      (await admin(`/admin/admins/${encodeURIComponent(carol)}`, { method: 'DELETE' })).status,
    ).toBeLessThan(300);
    expect((await admin('/admin/campaigns', { as: carol })).status).toBe(403);
  });
});
