import { z } from 'zod';
import { CONTACT_METHODS } from '../../store/intervention-repository';

// What the learner page's forms may send; messages say what to fix.

const day = (what: string) => z.iso.date({ message: `${what}: use a date written YYYY-MM-DD` });

export const interventionForm = z
  .object({
    method: z.enum(CONTACT_METHODS, { message: 'How: choose how you made contact' }),
    contactedOn: day('Date of contact'),
    note: z.string().trim().max(4000, 'Note: keep it under 4,000 characters').default(''),
    outcome: z.string().trim().max(2000, 'Outcome: keep it under 2,000 characters').default(''),
    followUpOn: z.union([z.literal(''), day('Follow up on')]).default(''),
    markAlertsContacted: z.literal('yes').optional(),
  })
  .refine((f) => f.note.length > 0 || f.outcome.length > 0, { message: 'Note or outcome: say briefly what was discussed or agreed', path: ['note'] })
  .refine((f) => !f.followUpOn || f.followUpOn >= f.contactedOn, { message: 'Follow up on: choose a day on or after the contact', path: ['followUpOn'] });

export const knownCauseForm = z
  .object({
    from: day('From'),
    to: day('To'),
    reason: z.string().trim().min(1, 'Reason: say briefly why, e.g. “authorised absence”').max(500, 'Reason: keep it under 500 characters'),
  })
  .refine((f) => f.to >= f.from, { message: 'To: choose a day on or after From', path: ['to'] });

export const yesNoForm = z.object({ value: z.enum(['yes', 'no'], { message: 'choose yes or no' }) });

export const dataReportForm = z.object({
  status: z.enum(['new', 'seen', 'resolved'], { message: 'Status: choose new, seen or resolved' }),
  staffNote: z.string().trim().max(1000, 'Note: keep it under 1,000 characters').default(''),
});

/** Field values to put back in a form that was refused, so nothing typed is lost. */
export type FormValues = Record<string, string>;

export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string' && k !== '_csrf') values[k] = v;
  }
  return values;
}

export function issueMessages(error: z.ZodError): string[] {
  return error.issues.map((issue) => issue.message);
}
