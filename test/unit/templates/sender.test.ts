import { describe, expect, it } from 'vitest';
import { emailSender, organiserWords } from '../../../functions/lib/templates/sender';

describe('emailSender', () => {
  it('names the organiser and sends replies to them', () => {
    expect(
      emailSender({ organiserName: 'Anytown Borough Council', organiserEmail: 'e@anytown.gov.uk' }),
    ).toEqual({
      displayName: 'Anytown Borough Council election security reminders',
      replyTo: 'e@anytown.gov.uk',
    });
  });

  it('reads well for a campaign from before organisers, with no Reply-To', () => {
    expect(emailSender({})).toEqual({ displayName: 'Election security reminders' });
  });
});

describe('organiserWords', () => {
  it("keeps only the organiser's words", () => {
    expect(
      organiserWords({
        campaignName: 'Locals',
        organiserName: 'Anytown Borough Council',
        organiserEmail: 'e@anytown.gov.uk',
        organiserTel: '01632960000',
        contactName: 'Police',
        pollDate: 'Thursday 6 May 2027',
      }),
    ).toEqual({
      organiserName: 'Anytown Borough Council',
      organiserEmail: 'e@anytown.gov.uk',
      organiserTel: '01632960000',
    });
  });
});
