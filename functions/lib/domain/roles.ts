/** Who can sign up. Candidates and agents get the candidates' guidance; officials get the officials'. */
export const ROLES = ['candidate', 'agent', 'returning-officer', 'election-staff'] as const;
export type Role = (typeof ROLES)[number];

export const AUDIENCES = ['candidates', 'officials'] as const;
export type Audience = (typeof AUDIENCES)[number];

const AUDIENCE_OF: Record<Role, Audience> = {
  candidate: 'candidates',
  agent: 'candidates',
  'returning-officer': 'officials',
  'election-staff': 'officials',
};

export const audienceOf = (role: Role): Audience => AUDIENCE_OF[role];

export const rolesOf = (audience: Audience): Role[] => ROLES.filter((role) => AUDIENCE_OF[role] === audience);

/** How a role is written in emails and pages ("You signed up as an election agent"). */
export const ROLE_LABELS: Record<Role, string> = {
  candidate: 'candidate',
  agent: 'election agent',
  'returning-officer': 'returning officer',
  'election-staff': 'member of election staff',
};

export const NATIONS = ['england', 'wales', 'scotland', 'northern-ireland'] as const;
export type Nation = (typeof NATIONS)[number];
