import { fetchLineItems, fetchResults, type AgsLineItem, type AgsResult } from '../lti/assignment-client';
import type { ServiceRequestOptions } from '../lti/service-client';
import { SCOPE } from '../lti/lti-vocabulary';
import { submissionKey, upsertAssignment, upsertSubmissions, type StoredSubmission } from '../store/assignment-repository';
import type { NewEngagementEvent } from '../store/event-repository';
import { listMembers } from '../store/member-repository';
import { markModuleDataChanged, recordAssignmentSync } from '../store/module-repository';
import type { Module } from '../store/types';
import { storeEventsWithRollups } from './daily-rollup';
import { withServiceToken, type AccessTokenSource } from './service-token';

export interface AssignmentSyncDeps extends AccessTokenSource {
  now(): Date;
  /** Timeouts, retries and backoff for the platform's service calls. */
  serviceOptions?: Partial<ServiceRequestOptions>;
}

export interface AssignmentSyncResult {
  assignments: number;
  results: number;
  submissionEventsAdded: number;
  /** Results for people Waymark does not know in this module (not in the roster yet). */
  unknownUsers: number;
}

export type AssignmentSyncOutcome = { ok: true; result: AssignmentSyncResult } | { ok: false; error: string };

/** Late only when both times are known: a missing timestamp or due date says nothing either way. */
function isLate(submittedAt: Date | null, dueAt: Date | null): boolean | null {
  if (!submittedAt || !dueAt) return null;
  return submittedAt.getTime() > dueAt.getTime();
}

/** Everything the platform holds, read completely before anything is written, so a failure part-way changes nothing. */
async function readGradebook(module: Module, lineItemsUrl: string, deps: AssignmentSyncDeps): Promise<Array<{ item: AgsLineItem; results: AgsResult[] }>> {
  return withServiceToken(deps, module.platformId, [SCOPE.lineItemReadonly, SCOPE.resultReadonly], async (token) => {
    const items = await fetchLineItems(lineItemsUrl, token, deps.serviceOptions);
    const gradebook: Array<{ item: AgsLineItem; results: AgsResult[] }> = [];
    for (const item of items) gradebook.push({ item, results: await fetchResults(item.id, token, deps.serviceOptions) });
    return gradebook;
  });
}

/**
 * Reads the module's line items and results over AGS (read-only: nothing is ever sent back) and stores them as
 * assignments, submissions and one `assignment` event per submission with a time. On any failure the stored
 * assignments are kept as they were and the error is recorded for the module's freshness line.
 */
export async function syncAssignments(module: Module, deps: AssignmentSyncDeps): Promise<AssignmentSyncOutcome> {
  if (!module.agsLineItemsUrl) {
    const error = 'The platform has not shared its gradebook service with Waymark (no Assignment and Grade Services claim in the launch).';
    await recordAssignmentSync(module.id, { at: deps.now(), error });
    return { ok: false, error };
  }
  let gradebook: Array<{ item: AgsLineItem; results: AgsResult[] }>;
  try {
    gradebook = await readGradebook(module, module.agsLineItemsUrl, deps);
  } catch (err) {
    const error = `Assignment sync failed: ${(err as Error).message}`;
    await recordAssignmentSync(module.id, { at: deps.now(), error });
    return { ok: false, error };
  }

  try {
    const result = await storeGradebook(module, gradebook);
    await recordAssignmentSync(module.id, { at: deps.now(), error: null });
    return { ok: true, result };
  } catch (err) {
    const error = `Assignment sync could not store what the platform sent: ${(err as Error).message}`;
    await recordAssignmentSync(module.id, { at: deps.now(), error }).catch(() => undefined);
    return { ok: false, error };
  }
}

async function storeGradebook(module: Module, gradebook: Array<{ item: AgsLineItem; results: AgsResult[] }>): Promise<AssignmentSyncResult> {
  const memberByUserId = new Map((await listMembers(module.id)).map((m) => [m.userId, m]));
  const events: Array<{ submission: string; event: NewEngagementEvent }> = [];
  const result: AssignmentSyncResult = { assignments: 0, results: 0, submissionEventsAdded: 0, unknownUsers: 0 };
  const submissions: StoredSubmission[] = [];
  let assignmentsChanged = false;
  for (const { item, results } of gradebook) {
    const assignment = await upsertAssignment({ moduleId: module.id, key: `ags:${item.id}`, title: item.label, dueAt: item.dueAt, origin: 'ags', scoreMaximum: item.scoreMaximum });
    assignmentsChanged ||= assignment.changed;
    result.assignments++;
    for (const r of results) {
      const member = memberByUserId.get(r.userId);
      if (!member) {
        result.unknownUsers++;
        continue;
      }
      result.results++;
      // A result exists once the work is in; its timestamp (when given) is when the platform recorded it.
      submissions.push({
        assignmentId: assignment.id,
        memberId: member.id,
        submitted: true,
        submittedAt: r.timestamp,
        late: isLate(r.timestamp, assignment.dueAt),
        status: 'submitted',
        origin: 'ags',
      });
      if (!r.timestamp) continue;
      events.push({
        submission: submissionKey(assignment.id, member.id),
        event: {
          moduleId: module.id,
          memberId: member.id,
          source: 'assignment',
          sourceId: `ags:${r.id}`,
          occurredAt: r.timestamp,
          count: 1,
          minutes: 0,
          detail: { assignmentKey: assignment.key, title: assignment.title },
        },
      });
    }
  }
  // Only a new or changed submission can bring an event not stored yet: storing every result's event made each
  // sync read all events of the module's members (seconds of FerretDB's CPU per sync on 1,000 learners). They are
  // stored before the submissions, so a crash in between leaves the submissions changed for the next sync.
  // New submission events raise the data version themselves.
  const submissionsChanged = await upsertSubmissions(module.id, submissions, async (changed) => {
    const fresh = events.filter((e) => changed.has(e.submission)).map((e) => e.event);
    result.submissionEventsAdded = (await storeEventsWithRollups(module.id, module.timeZone, fresh)).inserted;
  });
  // Due dates and results may change without a new event; a sync that changed nothing leaves the analysis current.
  if (assignmentsChanged || submissionsChanged > 0) await markModuleDataChanged(module.id);
  return result;
}

export function assignmentsAreStale(module: Module, now: Date, minIntervalMinutes: number): boolean {
  return !module.assignmentsSyncedAt || now.getTime() - module.assignmentsSyncedAt.getTime() >= minIntervalMinutes * 60_000;
}
