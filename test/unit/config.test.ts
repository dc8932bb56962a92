import { describe, expect, it } from 'vitest';
import { parseConfig, publicApiConfigSchema } from '../../functions/lib/config';
import { ConfigError } from '../../functions/lib/errors';
import { unsubscribeHeaders } from '../../functions/lib/subscriptions/links';

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

  it('puts an international PUBLIC_BASE_URL in punycode, so that List-Unsubscribe stays printable ASCII', () => {
    const config = parseConfig(publicApiConfigSchema, {
      TABLE_NAME: 't',
      PUBLIC_BASE_URL: 'https://atgoffa-etholiad.bücher.example/cymraeg/é/',
    });

    expect(config.PUBLIC_BASE_URL).toBe('https://atgoffa-etholiad.xn--bcher-kva.example/cymraeg/%C3%A9');
    const [listUnsubscribe] = unsubscribeHeaders(`${config.PUBLIC_BASE_URL}/unsubscribe?token=v1.a.b`);
    expect(listUnsubscribe?.value).toMatch(/^[\x20-\x7e]+$/);
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
