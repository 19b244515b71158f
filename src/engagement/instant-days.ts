import { IANAZone } from 'luxon';
import { createDayKeyMemo, instantMillis } from './module-calendar';
import type { DayKey } from './types';

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const EXPLICIT_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

export interface ResolvedInstant {
  millis: number;
  day: DayKey;
}

/**
 * Turns ISO instants into (millis, local day) for one zone, giving the same day as dayKeyOf() without a
 * luxon object per instant: the zone's offset is looked up once per UTC day, and per instant only on the
 * two days a year the offset changes.
 */
export function createInstantResolver(timeZone: string): (instant: string) => ResolvedInstant {
  const zone = IANAZone.create(timeZone);
  const dayKey = createDayKeyMemo();
  const steadyOffset = new Map<number, number | null>();
  const offsetAt = (millis: number): number => {
    const utcDay = Math.floor(millis / MS_PER_DAY);
    let offset = steadyOffset.get(utcDay);
    if (offset === undefined) {
      const first = zone.offset(utcDay * MS_PER_DAY);
      offset = first === zone.offset((utcDay + 1) * MS_PER_DAY - 1) ? first : null;
      steadyOffset.set(utcDay, offset);
    }
    return offset ?? zone.offset(millis);
  };
  return (instant) => {
    const direct = EXPLICIT_OFFSET.test(instant) ? Date.parse(instant) : Number.NaN;
    const millis = Number.isFinite(direct) ? direct : instantMillis(instant, timeZone);
    return { millis, day: dayKey(Math.floor((millis + offsetAt(millis) * MS_PER_MINUTE) / MS_PER_DAY)) };
  };
}
