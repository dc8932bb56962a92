import { normaliseAdminEmail } from './allow-list';
import type { AdminIdentity } from './model';
import type { AdminStore, ListedAdmin } from './ports';

/**
 * The allow-list: the configured admins (deploy-time, fixed) and those added at run time. A
 * configured entry wins over a stored one for the same address, so a stored record can never
 * raise or lower a configured admin.
 */
export interface AdminDirectory {
  find(email: string): Promise<AdminIdentity | undefined>;
  /** The admin whose address hashes to `emailHash` under `hash`: the sign-in worker gets hashes only. */
  findByHash(emailHash: string, hash: (email: string) => string): Promise<AdminIdentity | undefined>;
  list(): Promise<ListedAdmin[]>;
}

export const createAdminDirectory = (configured: AdminIdentity[], store: AdminStore): AdminDirectory => {
  const list = async (): Promise<ListedAdmin[]> => {
    const fixed = configured.map((admin) => ({ ...admin, source: 'config' as const }));
    const stored = (await store.list())
      .filter((admin) => !configured.some((entry) => entry.email === admin.email))
      .map((admin) => ({ ...admin, source: 'table' as const }));
    return [...fixed, ...stored].sort((a, b) => a.email.localeCompare(b.email));
  };
  return {
    async find(email) {
      const wanted = normaliseAdminEmail(email);
      return configured.find((admin) => admin.email === wanted) ?? (await store.get(wanted));
    },
    async findByHash(emailHash, hash) {
      const found = (await list()).find((admin) => hash(admin.email) === emailHash);
      return found ? { email: found.email, role: found.role } : undefined;
    },
    list,
  };
};
