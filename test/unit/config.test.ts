import { describe, expect, it } from 'vitest';
import { parseConfig, publicApiConfigSchema } from '../../functions/lib/config';
import { ConfigError } from '../../functions/lib/errors';

describe('parseConfig', () => {
  it('fails fast naming every missing variable', () => {
    expect(() => parseConfig(publicApiConfigSchema, {})).toThrow(ConfigError);
    expect(() => parseConfig(publicApiConfigSchema, {})).toThrow(/TABLE_NAME.*PUBLIC_BASE_URL/);
  });

  it('refuses a PUBLIC_BASE_URL that is not an absolute URL', () => {
    expect(() => parseConfig(publicApiConfigSchema, { TABLE_NAME: 't', PUBLIC_BASE_URL: 'example' })).toThrow(
      /PUBLIC_BASE_URL/,
    );
  });

  it('returns the parsed configuration when it is complete', () => {
    expect(
      parseConfig(publicApiConfigSchema, { TABLE_NAME: 't', PUBLIC_BASE_URL: 'https://x.test' }),
    ).toMatchObject({
      TABLE_NAME: 't',
      PUBLIC_BASE_URL: 'https://x.test',
    });
  });
});
