import type { AdminIdentity } from './model';

/** Admins added at run time (`esr admins add`), kept apart from subscriber data. */
export interface AdminStore {
  list(): Promise<AdminIdentity[]>;
  get(email: string): Promise<AdminIdentity | undefined>;
  /** Adds the admin, or changes their role. */
  put(admin: AdminIdentity, at: string): Promise<void>;
  /** True when there was such an admin. */
  remove(email: string, at: string): Promise<boolean>;
}

export type AdminSource = 'config' | 'table';

export interface ListedAdmin extends AdminIdentity {
  /** `config`: ESR_ADMINS locally, the CDK context `admins` in AWS (not removable with `esr`). */
  source: AdminSource;
}
