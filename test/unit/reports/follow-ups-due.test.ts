import { followUpsDue } from '../../../src/reports/follow-ups-due';

describe('follow-ups due', () => {
  const today = '2026-11-24';

  it('when a follow-up day has come and no contact was recorded on or after it, then it is due, the most overdue first', () => {
    const due = followUpsDue(
      [
        { memberId: 'b', contactedOn: '2026-11-10', followUpOn: '2026-11-20' },
        { memberId: 'a', contactedOn: '2026-11-01', followUpOn: '2026-11-08' },
        { memberId: 'c', contactedOn: '2026-11-20', followUpOn: '2026-11-24' },
      ],
      today,
    );
    expect(due).toEqual([
      { memberId: 'a', due: '2026-11-08' },
      { memberId: 'b', due: '2026-11-20' },
      { memberId: 'c', due: '2026-11-24' },
    ]);
  });

  it('when a later contact was recorded, or the day is still to come, or no day was set, then nothing is due', () => {
    const due = followUpsDue(
      [
        { memberId: 'a', contactedOn: '2026-11-01', followUpOn: '2026-11-08' },
        { memberId: 'a', contactedOn: '2026-11-09', followUpOn: null },
        { memberId: 'b', contactedOn: '2026-11-20', followUpOn: '2026-11-25' },
        { memberId: 'c', contactedOn: '2026-11-20', followUpOn: null },
      ],
      today,
    );
    expect(due).toEqual([]);
  });
});
