import type { IndicatorName, ModuleMarkers } from '../engagement';

// "What we measure and why", in plain words, from the markers the module actually uses (or the defaults).

export interface MeasureExplanation {
  indicator: IndicatorName;
  name: string;
  what: string;
  why: string;
  /** Share of the weekly level this marker carries, in whole percent. */
  sharePercent: number;
}

export interface MeasuresExplanation {
  measures: MeasureExplanation[];
  minimumLevel: number | null;
}

interface Wording {
  name: string;
  what: (target: number) => string;
  why: string;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const times = (n: number, one: string, many = `${one}s`) => `${round1(n)} ${round1(n) === 1 ? one : many}`;

const WORDING: Record<IndicatorName, Wording> = {
  vleActiveDays: {
    name: 'Days active on Moodle',
    what: (t) => `The days in a week on which you opened this module's Moodle pages, files or activities. The module looks for about ${times(t, 'day')} a week.`,
    why: 'Regular contact with the module, rather than how long you spend, is a steady sign that you are keeping up.',
  },
  vleClicks: {
    name: 'Moodle activity',
    what: (t) => `How many of this module's Moodle pages and activities you opened in a week. The module looks for about ${times(t, 'item')} a week.`,
    why: 'It shows whether you are using the materials the module provides online.',
  },
  launches: {
    name: 'Opening this tool',
    what: (t) => `How often you opened this module's Waymark activity in a week (about ${times(t, 'time')} a week is expected).`,
    why: 'Some modules use it as a light check-in.',
  },
  assignmentsSubmitted: {
    name: 'Work handed in',
    what: () => 'Whether you submitted the work that was due that week. Only the fact and the time of handing in count, never the mark.',
    why: 'A missed deadline is often the first sign that someone needs support.',
  },
  meetingsAttended: {
    name: 'Online sessions attended',
    what: (t) => `Scheduled online sessions (for example on Teams) you joined. The module looks for ${times(t, 'session')} a week.`,
    why: 'Live sessions are where questions get answered; missing several in a row can mean something is getting in the way.',
  },
  meetingMinutes: {
    name: 'Time in online sessions',
    what: (t) => `Minutes you spent in scheduled online sessions. The module looks for about ${times(t, 'minute')} a week.`,
    why: 'It shows whether you could stay for the sessions you joined.',
  },
  recordingsViewed: {
    name: 'Recordings watched',
    what: (t) => `Lecture recordings (for example on Echo360) you watched. The module looks for ${times(t, 'recording')} a week.`,
    why: 'Recordings are part of the module’s teaching, and some students use them instead of attending live.',
  },
  recordingMinutes: {
    name: 'Time watching recordings',
    what: (t) => `Minutes of lecture recordings you watched. The module looks for about ${times(t, 'minute')} a week.`,
    why: 'It shows whether recordings are being watched rather than only opened.',
  },
  activeDays: {
    name: 'Days with any activity',
    what: (t) => `The days in a week on which we saw any activity from you in the systems above. The module looks for about ${times(t, 'day')} a week.`,
    why: 'It counts contact with the module across all its systems.',
  },
};

export function explainMeasures(markers: ModuleMarkers): MeasuresExplanation {
  const totalWeight = markers.markers.reduce((sum, m) => sum + m.weight, 0);
  return {
    measures: markers.markers.map((m) => {
      const wording = WORDING[m.indicator];
      return {
        indicator: m.indicator,
        name: wording.name,
        what: wording.what(m.weeklyTarget),
        why: wording.why,
        sharePercent: totalWeight > 0 ? Math.round((100 * m.weight) / totalWeight) : 0,
      };
    }),
    minimumLevel: markers.minimumLevel,
  };
}
