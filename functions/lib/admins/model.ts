/** An administrator signed in to the console (or acting through the admin API). */
export type AdminIdentity = { email: string; role: 'viewer' | 'editor' | 'approver' };
