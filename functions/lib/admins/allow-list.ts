import { z } from 'zod';
import type { AdminIdentity } from './model';

/**
 * Who may use the console, and what each role may do. Roles rise: an editor can do what a viewer
 * can and also create and edit drafts; an approver can do all that and approve, cancel and send
 * alerts (the two-person rule, that an approver never approves their own change, is the approval
 * core's, not the role's).
 */
export const ADMIN_ROLES = [
  'viewer',
  'editor',
  'approver',
] as const satisfies readonly AdminIdentity['role'][];
export type AdminRole = AdminIdentity['role'];

export type ConsolePermission = 'read' | 'edit' | 'approve';

const LEAST_ROLE: Record<ConsolePermission, AdminRole> = {
  read: 'viewer',
  edit: 'editor',
  approve: 'approver',
};

export const roleAllows = (role: AdminRole, permission: ConsolePermission): boolean =>
  ADMIN_ROLES.indexOf(role) >= ADMIN_ROLES.indexOf(LEAST_ROLE[permission]);

/** Addresses are compared trimmed and lower-cased, as everywhere else in the service. */
export const normaliseAdminEmail = (email: string): string => email.trim().toLowerCase();

export const adminEmailSchema = z
  .email({ error: 'email must be an email address' })
  .max(254, 'email must be at most 254 characters')
  .transform(normaliseAdminEmail);

export const adminRoleSchema = z.enum(ADMIN_ROLES, { error: 'role must be viewer, editor or approver' });

export const adminIdentitySchema = z.object({ email: adminEmailSchema, role: adminRoleSchema });

export class AdminListError extends Error {
  override readonly name = 'AdminListError';
}

/**
 * Parses an allow-list written `alice@example.org:editor,bob@example.org:approver` (the local
 * stack's `ESR_ADMINS` and the CDK context `admins`). Empty means nobody. A bad entry or an address
 * listed twice throws, naming the entry's position but not the address (this may end up in a log).
 */
export const parseAdminList = (text: string | undefined): AdminIdentity[] => {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const admins: AdminIdentity[] = [];
  entries.forEach((entry, index) => {
    const at = entry.lastIndexOf(':');
    const parsed = adminIdentitySchema.safeParse(
      at === -1 ? { email: entry } : { email: entry.slice(0, at), role: entry.slice(at + 1).trim() },
    );
    if (!parsed.success) {
      const problem = parsed.error.issues.map((issue) => issue.message).join('; ');
      throw new AdminListError(
        `Admin entry ${index + 1} must be written email:role with role viewer, editor or approver (${problem})`,
      );
    }
    if (admins.some((admin) => admin.email === parsed.data.email)) {
      throw new AdminListError(`Admin entry ${index + 1} repeats an address listed before it`);
    }
    admins.push(parsed.data);
  });
  return admins;
};
