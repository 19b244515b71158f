import { Types } from 'mongoose';
import { DateTime } from 'luxon';
import { ModuleSettingsModel } from './models/module-settings-model';
import type { ModuleCalendar, ModuleMarkers, AlertThresholds } from '../engagement';

export interface ModuleSettings {
  moduleId: string;
  calendar: ModuleCalendar;
  /** True when staff have not set the teaching period yet and it was inferred. */
  calendarInferred: boolean;
  markers: ModuleMarkers | null;
  thresholds: Partial<AlertThresholds>;
  expectationsText: string;
  contactText: string;
  updatedAt: Date | null;
}

const DEFAULT_WEEKS = 12;

/** A module nobody has configured gets a 12-week period starting the Monday of its first launch. */
function inferredCalendar(createdAt: Date, timeZone: string): ModuleCalendar {
  const start = DateTime.fromJSDate(createdAt, { zone: timeZone }).startOf('week');
  return { timeZone, start: start.toISODate()!, end: start.plus({ weeks: DEFAULT_WEEKS }).minus({ days: 1 }).toISODate()!, nonTeachingWeeks: [] };
}

export async function getModuleSettings(moduleId: string, moduleCreatedAt: Date, timeZone = 'Europe/London'): Promise<ModuleSettings> {
  const d = await ModuleSettingsModel.findOne({ moduleId: new Types.ObjectId(moduleId) }).lean();
  const zone = d?.calendar?.timeZone ?? timeZone;
  const hasPeriod = Boolean(d?.calendar?.start && d?.calendar?.end);
  const calendar: ModuleCalendar = hasPeriod
    ? {
        timeZone: zone,
        start: d!.calendar!.start!,
        end: d!.calendar!.end!,
        nonTeachingWeeks: (d!.calendar!.nonTeachingWeeks ?? []).map((w) => ({ start: String(w.start), end: String(w.end), label: String(w.label ?? '') })),
      }
    : inferredCalendar(moduleCreatedAt, zone);
  return {
    moduleId,
    calendar,
    calendarInferred: !hasPeriod,
    markers: (d?.markers as ModuleMarkers | null) ?? null,
    thresholds: (d?.thresholds as Partial<AlertThresholds>) ?? {},
    expectationsText: d?.expectationsText ?? '',
    contactText: d?.contactText ?? '',
    updatedAt: (d as { updatedAt?: Date } | null)?.updatedAt ?? null,
  };
}

export async function saveModuleSettings(
  moduleId: string,
  s: { calendar: ModuleCalendar; markers: ModuleMarkers | null; thresholds: Partial<AlertThresholds>; expectationsText: string; contactText: string },
  updatedBy: string,
): Promise<void> {
  await ModuleSettingsModel.updateOne(
    { moduleId: new Types.ObjectId(moduleId) },
    { $set: { calendar: s.calendar, markers: s.markers, thresholds: s.thresholds, expectationsText: s.expectationsText, contactText: s.contactText, updatedBy } },
    { upsert: true },
  );
}
