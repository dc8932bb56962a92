import { AppError, type Issue } from '../errors';

/** The input field a timetable error is about: the HTTP edge answers 400 naming it. */
export type TimetableField = 'election' | 'nation' | 'pollDate' | 'nonWorkingDays';

/** Every error computeTimetable raises for bad input; each names its field (answered 400 at the edge). */
export abstract class TimetableInputError extends AppError {
  abstract readonly field: TimetableField;
  readonly status = 400;
  readonly code = 'validation';
  override body() {
    return { error: this.code, issues: [this.toIssue()] };
  }
  /** The API's `{path, message}` issue for this error. */
  toIssue(): Issue {
    return { path: this.field, message: this.message };
  }
}

export class UnknownElectionError extends TimetableInputError {
  override readonly name = 'UnknownElectionError';
  readonly field = 'election';
}

/** An unknown nation, or one the election type is not held in (senedd in scotland). */
export class InvalidNationError extends TimetableInputError {
  override readonly name = 'InvalidNationError';
  readonly field = 'nation';
}

export class InvalidPollDateError extends TimetableInputError {
  override readonly name = 'InvalidPollDateError';
  readonly field = 'pollDate';
}

/** The timetable needs a year the bank-holiday data does not hold: refused, never guessed. */
export class BankHolidayCoverageError extends TimetableInputError {
  override readonly name = 'BankHolidayCoverageError';
  readonly field = 'pollDate';
  constructor(
    readonly year: number,
    readonly coveredYears: { from: number; to: number },
  ) {
    super(
      `This timetable needs bank holidays for ${year}, but they are held only for ${coveredYears.from} to ` +
        `${coveredYears.to}. Add GOV.UK's newer data with \`npm run bank-holidays:update -- <bank-holidays.json>\`.`,
    );
  }
}

export class InvalidNonWorkingDayError extends TimetableInputError {
  override readonly name = 'InvalidNonWorkingDayError';
  readonly field = 'nonWorkingDays';
}
