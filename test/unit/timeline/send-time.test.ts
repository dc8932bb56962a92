import { describe, expect, it } from 'vitest';
import { InvalidDateError } from '../../../functions/lib/timeline/dates';
import {
  InvalidSendTimeError,
  isValidTimeZone,
  UnknownTimeZoneError,
  zonedSendAt,
} from '../../../functions/lib/timeline/send-time';

describe('zonedSendAt', () => {
  it('keeps 09:00 local on the Friday before and the Monday after BST starts (28 Mar 2027)', () => {
    const friday = zonedSendAt('2027-03-26', '09:00', 'Europe/London');
    const monday = zonedSendAt('2027-03-29', '09:00', 'Europe/London');

    expect(friday).toEqual({
      local: '2027-03-26T09:00:00+00:00',
      utc: '2027-03-26T09:00:00Z',
      epochMs: Date.UTC(2027, 2, 26, 9),
    });
    expect(monday).toEqual({
      local: '2027-03-29T09:00:00+01:00',
      utc: '2027-03-29T08:00:00Z',
      epochMs: Date.UTC(2027, 2, 29, 8),
    });
  });

  it('keeps 09:00 local on the Friday before and the Monday after BST ends (31 Oct 2027)', () => {
    const friday = zonedSendAt('2027-10-29', '09:00', 'Europe/London');
    const monday = zonedSendAt('2027-11-01', '09:00', 'Europe/London');

    expect(friday.local).toBe('2027-10-29T09:00:00+01:00');
    expect(friday.utc).toBe('2027-10-29T08:00:00Z');
    expect(monday.local).toBe('2027-11-01T09:00:00+00:00');
    expect(monday.utc).toBe('2027-11-01T09:00:00Z');
  });

  it('honours other zones and minutes', () => {
    const at = zonedSendAt('2027-05-06', '07:30', 'UTC');

    expect(at.utc).toBe('2027-05-06T07:30:00Z');
    expect(at.epochMs).toBe(Date.UTC(2027, 4, 6, 7, 30));
  });

  it('throws UnknownTimeZoneError for a zone that does not exist', () => {
    expect(() => zonedSendAt('2027-05-06', '09:00', 'Europe/Atlantis')).toThrow(UnknownTimeZoneError);
  });

  it('throws InvalidSendTimeError for a time that is not HH:MM', () => {
    for (const bad of ['9:00', '24:00', '09:60', '09:00:00', 'nine']) {
      expect(() => zonedSendAt('2027-05-06', bad, 'Europe/London')).toThrow(InvalidSendTimeError);
    }
  });

  it('throws InvalidDateError for an impossible date', () => {
    expect(() => zonedSendAt('2027-02-29', '09:00', 'Europe/London')).toThrow(InvalidDateError);
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and rejects anything else', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
