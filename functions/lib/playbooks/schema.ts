import { z } from 'zod';
import { AUDIENCES, type Audience, audienceOf, ROLES } from '../domain/roles';
import { isValidSendTime } from '../shared/send-time';
import { ELECTION_TYPES } from '../timetable/elections';
import { MILESTONE_KEYS } from '../timetable/timetable';

/** Step keys and template names: lower-case letters and digits joined by hyphens. */
export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const kebabCase = (what: string) =>
  z.string().regex(KEBAB_CASE, `${what} must be kebab-case: lower-case letters and digits joined by hyphens`);

const localTime = z.string().refine(isValidSendTime, 'Times must be HH:MM on the 24-hour clock');

export const stepOffsetSchema = z.strictObject({
  /** Negative = before the milestone, 0 = its day, positive = after. */
  days: z.number().int(),
  unit: z.enum(['calendar', 'working']),
});

/**
 * When a step goes: a statutory milestone's day, moved by an offset, at a local time. Anchoring to the
 * milestone (not to polling day) keeps a step that says "nominations have closed" after 4pm on the day
 * they close, whatever the election's timetable.
 */
export const stepAnchorSchema = z.strictObject({
  milestone: z.enum(MILESTONE_KEYS),
  offset: stepOffsetSchema,
  time: localTime,
});

/** Until when a step is still worth sending late: a milestone's day, moved by calendar days, at a time. */
export const stepUntilSchema = z.strictObject({
  milestone: z.enum(MILESTONE_KEYS),
  days: z.number().int(),
  time: localTime,
});

export const playbookStepSchema = z
  .strictObject({
    key: kebabCase('Step key'),
    title: z.string().trim().min(1).max(80),
    at: stepAnchorSchema,
    /** Another anchor for some election types (a general election's five-week timetable starts at dissolution). */
    atFor: z.partialRecord(z.enum(ELECTION_TYPES), stepAnchorSchema).optional(),
    until: stepUntilSchema,
    /** The election types the step applies to; absent, every type. */
    elections: z.array(z.enum(ELECTION_TYPES)).min(1).optional(),
    roles: z.array(z.enum(ROLES)).min(1, 'A step must target at least one role'),
    templates: z.partialRecord(z.enum(AUDIENCES), kebabCase('Template name')),
  })
  .superRefine((step, ctx) => {
    if (new Set(step.roles).size !== step.roles.length) {
      ctx.addIssue({ code: 'custom', path: ['roles'], message: 'Roles must not repeat' });
    }
    // Each role is emailed its audience's template, so the two sets must match exactly.
    const needed = new Set<Audience>(step.roles.map(audienceOf));
    for (const audience of needed) {
      if (!step.templates[audience]) {
        ctx.addIssue({
          code: 'custom',
          path: ['templates', audience],
          message: `Step "${step.key}" targets ${audience} but has no template for them`,
        });
      }
    }
    for (const audience of Object.keys(step.templates) as Audience[]) {
      if (!needed.has(audience)) {
        ctx.addIssue({
          code: 'custom',
          path: ['templates', audience],
          message: `Step "${step.key}" has a template for ${audience} but none of its roles are ${audience}`,
        });
      }
    }
  });

export const playbookSchema = z
  .strictObject({
    id: kebabCase('Playbook id'),
    name: z.string().trim().min(1),
    description: z.string().trim().min(1),
    steps: z.array(playbookStepSchema).min(1, 'A playbook needs at least one step'),
  })
  .superRefine((playbook, ctx) => {
    // Keys name schedules and calendar UIDs, so a repeat would overwrite another step.
    const seen = new Set<string>();
    playbook.steps.forEach((step, index) => {
      if (seen.has(step.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'key'],
          message: `Step key "${step.key}" is used more than once`,
        });
      }
      seen.add(step.key);
    });
  });

export type StepOffset = z.infer<typeof stepOffsetSchema>;
export type StepAnchor = z.infer<typeof stepAnchorSchema>;
export type StepUntil = z.infer<typeof stepUntilSchema>;
export type PlaybookStep = z.infer<typeof playbookStepSchema>;
export type Playbook = z.infer<typeof playbookSchema>;
