import { z } from 'zod';
import { ConfigError } from './errors';

/**
 * Parses the environment once, at module load, with a zod schema. A missing or bad variable fails
 * the cold start at once with its name, instead of failing later on the first request.
 */
export const parseConfig = <S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
};

const required = (name: string) => z.string({ error: `${name} is required` }).min(1, `${name} is required`);

/** Variables every function reads. */
export const baseConfigSchema = z.object({
  TABLE_NAME: required('TABLE_NAME'),
});

export const publicApiConfigSchema = baseConfigSchema.extend({
  PUBLIC_BASE_URL: z.url({ error: 'PUBLIC_BASE_URL must be an absolute URL' }),
});

export const adminApiConfigSchema = baseConfigSchema;
