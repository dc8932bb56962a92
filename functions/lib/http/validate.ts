import type { z } from 'zod';
import { ValidationError } from '../errors';

/** Turns zod issues into the API's `{path, message}` list, one entry per bad field. */
export const toIssues = (error: z.ZodError) =>
  error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));

/** Validates outside input at the edge; every bad field is named in one ValidationError. */
export const validate = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toIssues(result.error));
  return result.data;
};
