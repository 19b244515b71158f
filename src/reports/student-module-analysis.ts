import { SOURCES, type AnalysedWeek, type AssignmentDetail, type CohortBands, type DayKey, type MemberWeek, type ModuleCalendar, type ModuleMarkers, type Source } from '../engagement';
import { memberFiguresForPage, moduleAnalysisForPage } from '../store/cached-module-reads';
import type { ModuleSettings } from '../store/module-settings-repository';
import type { Module } from '../store/types';
import { analyseStoredModule } from './module-analysis-service';

/**
 * The part of a module's analysis one student may see: their own figures and the anonymised cohort bands.
 * Nothing about any other member leaves this function.
 */
export interface StudentAnalysis {
  today: DayKey;
  calendar: ModuleCalendar;
  weeks: AnalysedWeek[];
  bands: CohortBands | null;
  minCohortSize: number;
  markers: ModuleMarkers;
  /** Sources the module has any data from, so the panel never lists a system the module does not use. */
  moduleSources: Source[];
  own: {
    lastAccess: Record<Source, DayKey | null>;
    weeks: MemberWeek[];
    assignments: { expected: number; submitted: number; details: AssignmentDetail[] };
  } | null;
}

/** Reads the stored analysis (what staff see too); a module or member not analysed yet is analysed now, unsaved. */
export async function loadStudentAnalysis(module: Module, settings: ModuleSettings, memberId: string, now: Date): Promise<StudentAnalysis> {
  const [stored, mine] = await Promise.all([moduleAnalysisForPage(module.id), memberFiguresForPage(module.id, memberId)]);
  const snapshot = stored?.snapshot ?? null;
  if (snapshot && mine) {
    return {
      today: snapshot.today,
      calendar: snapshot.calendar,
      weeks: snapshot.weeks,
      bands: snapshot.bands,
      minCohortSize: snapshot.thresholds.minCohortSize,
      markers: snapshot.markers,
      moduleSources: SOURCES.filter((s) => snapshot.lastActivityBySource[s] !== null),
      own: {
        lastAccess: mine.summary.lastAccess,
        weeks: mine.weeks,
        assignments: { expected: mine.summary.assignments.expected, submitted: mine.summary.assignments.submitted, details: mine.assignmentDetails },
      },
    };
  }
  const analysis = await analyseStoredModule(module.id, now);
  if (!analysis) throw new Error(`Module ${module.id} disappeared while it was being read.`);
  const member = analysis.members.find((m) => m.memberId === memberId);
  return {
    today: analysis.today,
    calendar: settings.calendar,
    weeks: analysis.weeks,
    bands: analysis.bands,
    minCohortSize: analysis.thresholds.minCohortSize,
    markers: analysis.markers,
    moduleSources: SOURCES.filter((s) => analysis.members.some((m) => m.lastAccess[s] !== null)),
    own: member ? { lastAccess: member.lastAccess, weeks: member.weeks, assignments: member.assignments } : null,
  };
}
