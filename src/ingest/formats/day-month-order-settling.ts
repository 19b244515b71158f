import { FileFormatError, type DayMonthOrder } from './parsed-records';

// `9/07/26` is 9 July or 7 September: only a date whose day is above 12 tells. Records are held back until one of
// them does, so a file is never half stored in the wrong order, and a file that contradicts the chosen order is
// refused before anything of it is stored.

export interface DayMonthOrderSettling {
  /** The order staff chose; undefined lets the file decide. */
  requested: DayMonthOrder | undefined;
  /** Records held while no date has told the order; beyond it the rest of the file is read in `requested` order. */
  maxHeld: number;
}

export interface SettledRecord<T> {
  record: T;
  /** The chosen or proven order; null when neither staff nor the file said. */
  order: DayMonthOrder | null;
}

export interface OrderEvidence {
  order: DayMonthOrder;
  line: number;
  text: string;
}

const ORDER_NAME: Record<DayMonthOrder, string> = { dmy: 'day first', mdy: 'month first' };
const ORDER_CHOICE: Record<DayMonthOrder, string> = { dmy: 'Day first (UK)', mdy: 'Month first (US)' };

/**
 * Hands the records on in file order, each with the day/month order to read it in. `evidenceOf` says which order a
 * record's dates prove, if any. Throws FileFormatError, before handing on anything, when the file proves the other
 * order than the one requested.
 */
export async function* settleDayMonthOrder<T>(
  records: AsyncIterable<T>,
  evidenceOf: (record: T) => OrderEvidence | null,
  settling: DayMonthOrderSettling,
  onSettled: (order: DayMonthOrder | null, evidence: OrderEvidence | null) => void = () => undefined,
): AsyncGenerator<SettledRecord<T>> {
  let held: T[] | null = [];
  let order: DayMonthOrder | null = settling.requested ?? null;
  for await (const record of records) {
    if (held === null) {
      yield { record, order };
      continue;
    }
    held.push(record);
    const evidence = evidenceOf(record);
    if (!evidence && held.length <= settling.maxHeld) continue;
    if (evidence && settling.requested && evidence.order !== settling.requested) throw contradiction(settling.requested, evidence);
    order = evidence?.order ?? order;
    onSettled(order, evidence);
    for (const waiting of held) yield { record: waiting, order };
    held = null;
  }
  if (held === null || held.length === 0) return;
  onSettled(order, null);
  for (const waiting of held) yield { record: waiting, order };
}

function contradiction(requested: DayMonthOrder, evidence: OrderEvidence): FileFormatError {
  const other = requested === 'dmy' ? 'mdy' : 'dmy';
  return new FileFormatError(
    'invalid-option',
    `This file writes dates ${ORDER_NAME[other]}: line ${evidence.line} has '${evidence.text}', which is not a real date read ${ORDER_NAME[requested]}. ` +
      `Nothing from it was stored. Import it again with the dates set to "${ORDER_CHOICE[other]}" (on the command line, --day-month-order ${other}).`,
  );
}
