import { z } from 'zod';
import { AUDIENCES, type Audience, audienceOf, ROLES } from '../domain/roles.js';
import { isValidSendTime } from '../timeline/send-time.js';

/** Step keys and template names: lower-case letters and digits joined by hyphens. */
export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const kebabCase = (what: string) =>
  z.string().regex(KEBAB_CASE, `${what} must be kebab-case: lower-case letters and digits joined by hyphens`);

export const stepOffsetSchema = z.strictObject({
  /** Negative = before polling day, 0 = polling day, positive = after. */
  days: z.number().int(),
  unit: z.enum(['calendar', 'working']),
});

export const playbookStepSchema = z
  .strictObject({
    key: kebabCase('Step key'),
    title: z.string().trim().min(1).max(80),
    offset: stepOffsetSchema,
    roles: z.array(z.enum(ROLES)).min(1, 'A step must target at least one role'),
    templates: z.partialRecord(z.enum(AUDIENCES), kebabCase('Template name')),
    sendTime: z.string().refine(isValidSendTime, 'Send time must be HH:MM on the 24-hour clock').optional(),
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
export type PlaybookStep = z.infer<typeof playbookStepSchema>;
export type Playbook = z.infer<typeof playbookSchema>;
