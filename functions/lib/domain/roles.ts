/**
 * Who can sign up. Candidates and agents get the candidates' guidance (agents with text written to
 * them); the returning officer and their electoral services team get the office duties; polling
 * station and count staff get what to do on the day.
 */
export const ROLES = ['candidate', 'agent', 'returning-officer', 'election-staff', 'polling-staff'] as const;
export type Role = (typeof ROLES)[number];

export const AUDIENCES = ['candidates', 'officials', 'polling-staff'] as const;
export type Audience = (typeof AUDIENCES)[number];

const AUDIENCE_OF: Record<Role, Audience> = {
  candidate: 'candidates',
  agent: 'candidates',
  'returning-officer': 'officials',
  'election-staff': 'officials',
  'polling-staff': 'polling-staff',
};

export const audienceOf = (role: Role): Audience => AUDIENCE_OF[role];

export const rolesOf = (audience: Audience): Role[] => ROLES.filter((role) => AUDIENCE_OF[role] === audience);

/** How a role is written in emails and pages ("You signed up as an election agent"). */
export const ROLE_LABELS: Record<Role, string> = {
  candidate: 'candidate',
  agent: 'election agent',
  'returning-officer': 'returning officer',
  'election-staff': 'member of the electoral services team',
  'polling-staff': 'member of polling station or count staff',
};

/** The label with its article, as emails say it: "you signed up as an election agent". */
export const roleWithArticle = (role: Role): string => {
  const label = ROLE_LABELS[role];
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;
};

/** A short hint under each role on the sign-up form, so people pick the one that fits their job. */
export const ROLE_HINTS: Record<Role, string> = {
  candidate: 'You are standing for election, for a party or as an independent.',
  agent: 'You act for a candidate as their election agent or sub-agent.',
  'returning-officer': 'You are the returning officer, acting returning officer or their deputy.',
  'election-staff':
    "You work in the council's electoral services team: planning the election, venues, police liaison and candidates' data.",
  'polling-staff': 'You work on the day as a presiding officer, poll clerk, or at the count.',
};

export const NATIONS = ['england', 'wales', 'scotland', 'northern-ireland'] as const;
export type Nation = (typeof NATIONS)[number];
