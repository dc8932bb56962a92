import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ROLES, type Role } from '../domain/roles';
import { ValidationError } from '../errors';
import { signupSchema } from '../subscriptions/schema';
import { type ImportRow, MAX_IMPORT_ROWS, type ReportLine } from './model';

/** What a file holds: the rows that may be invited and the lines already rejected, both by line number. */
export interface ParsedImport {
  /** Data rows in the file (blank lines and the header not counted). */
  total: number;
  rows: ImportRow[];
  rejected: ReportLine[];
}

const COLUMNS = ['email', 'name', 'role'] as const;
const emailSchema = signupSchema.shape.email;
const nameSchema = signupSchema.shape.name;
const roleSchema = z.enum(ROLES);

/** Header cells as people write them: "Email", " Role ", "E-mail address" is not guessed at. */
const columnName = (cell: string) => cell.trim().toLowerCase();

const LF = 0x0a;
const SKIPPABLE = new Set([0x0d, 0x20, 0x09, 0x2c]); // CR, space, tab, comma (an empty row Excel wrote)

/**
 * Parses an import file as Excel and others write it (UTF-8 with or without a byte order mark, CRLF or
 * LF, quoted fields holding commas, quotes and line breaks, blank lines, rows of empty cells) with
 * csv-parse, and checks each row: the address and role, the name by the sign-up form's rule, and
 * duplicates within the file (the first one counts). A file that is not CSV, has no header with
 * `email` and `role`, or has too many rows is refused whole (ValidationError); a bad row is reported
 * by its line number (where it starts, counting from 1 at the header).
 */
export const parseImportCsv = (text: string): ParsedImport => {
  const bytes = Buffer.from(text, 'utf8');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    throw new ValidationError([
      {
        path: '(body)',
        message: `The file is not valid CSV${lines ? ` (line ${lines})` : ''}${code ? `: ${code}` : ''}.`,
      },
    ]);
  }

  // Line numbers: where each record starts, counted from the bytes csv-parse consumed before it.
  let offset = 0;
  let line = 1;
  const startLine = (end: number) => {
    // Blank lines and rows of empty cells before the record (csv-parse skipped them) are passed over.
    while (offset < end && (bytes[offset] === LF || SKIPPABLE.has(bytes[offset] as number))) {
      if (bytes[offset] === LF) line++;
      offset++;
    }
    const start = line;
    // Line breaks inside the record (quoted fields may hold some) and its own end count for the next.
    for (; offset < end; offset++) if (bytes[offset] === LF) line++;
    return start;
  };
  // A BOM is three bytes before the header.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) offset = 3;

  const [header, ...data] = records;
  if (!header)
    throw new ValidationError([{ path: '(body)', message: 'The file is empty: it needs a header row.' }]);
  startLine(header.info.bytes);
  const columns = header.record.map(columnName);
  const index = Object.fromEntries(COLUMNS.map((name) => [name, columns.indexOf(name)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  const missing = (['email', 'role'] as const).filter((name) => index[name] < 0);
  if (missing.length > 0) {
    throw new ValidationError(
      missing.map((name) => ({
        path: `header.${name}`,
        message: `The header row must name a column "${name}" (columns: email, name (optional), role).`,
      })),
    );
  }
  if (data.length > MAX_IMPORT_ROWS) {
    throw new ValidationError([
      {
        path: '(body)',
        message: `A file may hold at most ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} rows; this one has ${data.length.toLocaleString('en-GB')}.`,
      },
    ]);
  }

  const rows: ImportRow[] = [];
  const rejected: ReportLine[] = [];
  const seen = new Set<string>();
  for (const { record, info } of data) {
    const at = startLine(info.bytes);
    const cell = (name: (typeof COLUMNS)[number]) => (index[name] >= 0 ? (record[index[name]] ?? '') : '');
    const rawEmail = cell('email').trim();
    const reject = (reason: ReportLine['reason']) =>
      rejected.push({ line: at, reason, ...(rawEmail ? { email: rawEmail } : {}) });
    const email = emailSchema.safeParse(rawEmail);
    if (!email.success) {
      reject('malformed-address');
      continue;
    }
    const role = roleSchema.safeParse(cell('role').trim().toLowerCase());
    if (!role.success) {
      reject('unknown-role');
      continue;
    }
    const name = nameSchema.safeParse(cell('name'));
    if (!name.success) {
      reject('invalid-name');
      continue;
    }
    const normalised = email.data.toLowerCase();
    if (seen.has(normalised)) {
      reject('duplicate-in-file');
      continue;
    }
    seen.add(normalised);
    rows.push({
      line: at,
      email: normalised,
      role: role.data as Role,
      ...(name.data ? { name: name.data } : {}),
    });
  }
  return { total: data.length, rows, rejected };
};
