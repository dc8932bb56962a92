export type AdminIdentity = { email: string; role: 'viewer' | 'editor' | 'approver' };
