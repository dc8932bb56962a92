import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/lib/errors';
import { parseImportCsv } from '../../../functions/lib/imports/csv';
import { MAX_IMPORT_ROWS } from '../../../functions/lib/imports/model';

const BOM = '\uFEFF';

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('parseImportCsv', () => {
  it('reads a file as Excel writes it: BOM, CRLF, quoted fields', () => {
    const file = `${BOM}email,name,role\r\n"ann@example.org","Ann O'Neill",candidate\r\nBob@Example.org,Bob Jones,Agent\r\n`;
    expect(parseImportCsv(file)).toEqual({
      total: 2,
      rows: [
        { line: 2, email: 'ann@example.org', name: "Ann O'Neill", role: 'candidate' },
        { line: 3, email: 'bob@example.org', name: 'Bob Jones', role: 'agent' },
      ],
      rejected: [],
    });
  });

  it('keeps embedded commas, quotes and line breaks inside their field, and counts lines where each row starts', () => {
    const file = [
      'email,name,role',
      'ann@example.org,"Smith, Ann",candidate', // a comma in a name: the role is still the third field
      'bob@example.org,"Bob ""The Boss"" Jones",agent',
      'cat@example.org,"Cat',
      'Jones",polling-staff', // a line break inside a quoted field
      'dan@example.org,Dan,election-staff',
    ].join('\r\n');
    const parsed = parseImportCsv(file);
    expect(parsed.total).toBe(4);
    // Names follow the sign-up form's rule (no commas or quotes), so those rows are reported, by line.
    expect(parsed.rejected).toEqual([
      { line: 2, reason: 'invalid-name', email: 'ann@example.org' },
      { line: 3, reason: 'invalid-name', email: 'bob@example.org' },
      { line: 4, reason: 'invalid-name', email: 'cat@example.org' },
    ]);
    expect(parsed.rows).toEqual([{ line: 6, email: 'dan@example.org', name: 'Dan', role: 'election-staff' }]);
  });

  it('skips blank lines and rows of empty cells, and still numbers lines as the file does', () => {
    const file = 'email,name,role\n\nann@example.org,,candidate\n,,\n\r\n   \nbob@example.org,,agent\n\n';
    const parsed = parseImportCsv(file);
    expect(parsed.total).toBe(2);
    expect(parsed.rows.map((row) => [row.line, row.email])).toEqual([
      [3, 'ann@example.org'],
      [7, 'bob@example.org'],
    ]);
    expect(parsed.rows[0]).not.toHaveProperty('name');
  });

  it('finds the columns by header name in any order and case, name optional', () => {
    const parsed = parseImportCsv('Role, EMAIL \npolling-staff,pat@example.org\n');
    expect(parsed.rows).toEqual([{ line: 2, email: 'pat@example.org', role: 'polling-staff' }]);
  });

  it('reports each bad row with its line and reason; the first of a duplicate counts', () => {
    const file = [
      'email,name,role',
      'not-an-address,,candidate',
      'ann@example.org,,mayor',
      'ann@example.org,,candidate',
      ',Nobody,agent',
      'ANN@example.org,,agent',
      'bob@example.org,visit paypal.com,agent',
    ].join('\n');
    const parsed = parseImportCsv(file);
    expect(parsed.rejected).toEqual([
      { line: 2, reason: 'malformed-address', email: 'not-an-address' },
      { line: 3, reason: 'unknown-role', email: 'ann@example.org' },
      { line: 5, reason: 'malformed-address' },
      { line: 6, reason: 'duplicate-in-file', email: 'ANN@example.org' },
      { line: 7, reason: 'invalid-name', email: 'bob@example.org' },
    ]);
    expect(parsed.rows.map((row) => row.line)).toEqual([4]);
    expect(parsed.total).toBe(6);
  });

  it('refuses a file without the email or role column, naming it', () => {
    expect(issuesOf(() => parseImportCsv('address,name\nann@example.org,Ann\n'))).toEqual([
      { path: 'header.email', message: expect.stringContaining('"email"') },
      { path: 'header.role', message: expect.stringContaining('"role"') },
    ]);
    expect(issuesOf(() => parseImportCsv(''))).toEqual([
      { path: '(body)', message: expect.stringMatching(/empty/) },
    ]);
  });

  it('refuses a file that is not CSV (an unclosed quote)', () => {
    expect(issuesOf(() => parseImportCsv('email,role\n"ann@example.org,candidate\n'))).toEqual([
      { path: '(body)', message: expect.stringMatching(/not valid CSV/) },
    ]);
  });

  it(`reads ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} rows quickly, and refuses one more`, () => {
    const lines = Array.from(
      { length: MAX_IMPORT_ROWS },
      (_, i) => `person${i}@example.org,"Person ${String.fromCharCode(65 + (i % 26))}",candidate`,
    );
    const file = `${BOM}email,name,role\r\n${lines.join('\r\n')}\r\n`;
    const started = performance.now();
    const parsed = parseImportCsv(file);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(parsed.total).toBe(MAX_IMPORT_ROWS);
    expect(parsed.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(parsed.rows.at(-1)).toMatchObject({
      line: MAX_IMPORT_ROWS + 1,
      email: `person${MAX_IMPORT_ROWS - 1}@example.org`,
    });
    expect(issuesOf(() => parseImportCsv(`${file}extra@example.org,,agent\r\n`))).toEqual([
      { path: '(body)', message: expect.stringMatching(/at most 20,000 rows; this one has 20,001/) },
    ]);
  });
});
