import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  bankHolidayFileSchema,
  DIVISIONS,
  indexBankHolidays,
  mergeBankHolidays,
} from '../functions/lib/timetable/bank-holidays';

/**
 * `npm run bank-holidays:update -- <file>`: merges a newer GOV.UK bank-holidays.json (the file
 * gov.uk/bank-holidays.json serves, same shape as ours) into functions/lib/timetable/bank-holidays.json,
 * keeping every event we hold, and prints what it added. Exit 1 when the file is missing or not GOV.UK's shape.
 */
export const DATA_FILE = fileURLToPath(
  new URL('../functions/lib/timetable/bank-holidays.json', import.meta.url),
);

const readGovUkFile = (path: string) => {
  const parsed = bankHolidayFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`${path} is not a GOV.UK bank-holidays file:\n${issues.join('\n')}`);
  }
  return parsed.data;
};

export const updateBankHolidays = (newerPath: string, dataFile = DATA_FILE): string[] => {
  const current = readGovUkFile(dataFile);
  const { merged, added } = mergeBankHolidays(current, readGovUkFile(newerPath));
  const { from, to } = indexBankHolidays(merged).coveredYears;
  writeFileSync(dataFile, `${JSON.stringify(merged, null, 2)}\n`);
  const lines = DIVISIONS.flatMap((division) =>
    added[division].map((event) => `  ${division}: ${event.date} ${event.title}`),
  );
  return [
    lines.length === 0 ? 'Nothing new: every event is already held.' : `Added ${lines.length} event(s):`,
    ...lines,
    `Bank holidays now cover ${from} to ${to}.`,
  ];
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [newerPath] = process.argv.slice(2);
  if (!newerPath) {
    process.stderr.write('Usage: npm run bank-holidays:update -- <GOV.UK bank-holidays.json>\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`${updateBankHolidays(newerPath).join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
