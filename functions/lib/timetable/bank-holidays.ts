import { z } from 'zod';
import data from './bank-holidays.json' with { type: 'json' };
import { isIsoDate, yearOf } from './dates';

/**
 * UK bank holidays in GOV.UK's own format (the JSON gov.uk/bank-holidays.json serves): one division per
 * calendar, each a list of events. Ours is bank-holidays.json beside this file, 2018 to the last year
 * GOV.UK publishes; `npm run bank-holidays:update -- <file>` merges a newer GOV.UK file into it.
 */
export const DIVISIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type Division = (typeof DIVISIONS)[number];

const eventSchema = z.object({
  title: z.string().min(1),
  date: z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD'),
  notes: z.string(),
  bunting: z.boolean(),
});
export type BankHolidayEvent = z.infer<typeof eventSchema>;

const divisionSchema = (division: Division) =>
  z.object({ division: z.literal(division), events: z.array(eventSchema) });

export const bankHolidayFileSchema = z.object({
  'england-and-wales': divisionSchema('england-and-wales'),
  scotland: divisionSchema('scotland'),
  'northern-ireland': divisionSchema('northern-ireland'),
});
export type BankHolidayFile = z.infer<typeof bankHolidayFileSchema>;

export interface BankHolidayData {
  /** The dates of each division's bank holidays. */
  dates: Readonly<Record<Division, ReadonlySet<string>>>;
  /** The years every division has events for: first to last year present, the same for all three. */
  coveredYears: { from: number; to: number };
}

/** Indexes a GOV.UK file; covered years are those all three divisions hold (first to last year present). */
export const indexBankHolidays = (file: BankHolidayFile): BankHolidayData => {
  const years = DIVISIONS.map((division) => file[division].events.map((event) => yearOf(event.date)));
  if (years.some((list) => list.length === 0)) throw new Error('A bank-holiday division has no events.');
  return {
    dates: Object.fromEntries(
      DIVISIONS.map((division) => [division, new Set(file[division].events.map((event) => event.date))]),
    ) as Record<Division, Set<string>>,
    coveredYears: {
      from: Math.max(...years.map((list) => Math.min(...list))),
      to: Math.min(...years.map((list) => Math.max(...list))),
    },
  };
};

/** The data shipped with the service, validated once on load (it is bundled into each Lambda). */
export const BANK_HOLIDAYS: BankHolidayData = indexBankHolidays(bankHolidayFileSchema.parse(data));

export interface MergeResult {
  merged: BankHolidayFile;
  /** Events the newer file added, by division. */
  added: Record<Division, BankHolidayEvent[]>;
}

/**
 * Merges a newer GOV.UK file into ours: per division the union of events by date, sorted by date. Where
 * both hold a date the newer file's event wins (GOV.UK corrects titles and notes); nothing is dropped.
 */
export const mergeBankHolidays = (current: BankHolidayFile, newer: BankHolidayFile): MergeResult => {
  const added = {} as Record<Division, BankHolidayEvent[]>;
  const mergeDivision = <D extends Division>(division: D) => {
    const byDate = new Map(current[division].events.map((event) => [event.date, event]));
    added[division] = newer[division].events
      .filter((event) => !byDate.has(event.date))
      .sort((a, b) => a.date.localeCompare(b.date));
    for (const event of newer[division].events) byDate.set(event.date, event);
    return { division, events: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)) };
  };
  const merged: BankHolidayFile = {
    'england-and-wales': mergeDivision('england-and-wales'),
    scotland: mergeDivision('scotland'),
    'northern-ireland': mergeDivision('northern-ireland'),
  };
  return { merged, added };
};
