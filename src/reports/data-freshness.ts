import { formatDay, SOURCES, type DayKey, type Source } from '../engagement';
import type { Module } from '../store/types';
import { SOURCE_LABELS } from './staff-wording';

export interface FreshnessLine {
  label: string;
  value: string;
  /** True when the source reported an error or has never synced: shown with a warning word, not only a colour. */
  problem: boolean;
  detail: string;
}

const NEVER = 'Not yet';

function when(at: Date | null, format: (d: Date) => string): string {
  return at ? format(at) : NEVER;
}

/** When each source last reached Waymark: roster and assignment syncs from Moodle, then the latest activity per source. */
export function dataFreshness(
  module: Module,
  lastActivityBySource: Record<Source, DayKey | null> | null,
  formatInstant: (d: Date) => string,
  lastImportBySource: Partial<Record<Source, Date>> = {},
): FreshnessLine[] {
  const lines: FreshnessLine[] = [
    {
      label: 'Roster (Moodle)',
      value: when(module.rosterSyncedAt, formatInstant),
      problem: Boolean(module.rosterSyncError) || !module.rosterSyncedAt,
      detail: module.rosterSyncError ? `${module.rosterSyncError} The last roster Waymark received is shown.` : '',
    },
    {
      label: 'Assignments (Moodle)',
      value: when(module.assignmentsSyncedAt, formatInstant),
      problem: Boolean(module.assignmentsSyncError),
      detail: [
        module.assignmentsSyncError ?? (module.assignmentsSyncedAt || lastImportBySource.assignment ? '' : 'Assignments arrive from Moodle’s gradebook sync or an import.'),
        lastImportBySource.assignment ? `Last file import ${formatInstant(lastImportBySource.assignment)}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    },
  ];
  for (const source of SOURCES) {
    if (source === 'assignment') continue;
    const latest = lastActivityBySource?.[source] ?? null;
    const imported = lastImportBySource[source];
    if (latest === null && !imported) continue;
    lines.push({
      label: SOURCE_LABELS[source],
      value: latest ? `Latest activity ${formatDay(latest)}` : 'No activity yet',
      problem: false,
      detail: imported ? `Last import ${formatInstant(imported)}` : '',
    });
  }
  return lines;
}
