import { listAuditActions, queryAuditEntries, streamAuditEntries, type AuditCursor, type AuditQuery, type AuditRow } from '../store/audit-query-repository';
import { findMemberRefsByUserId, findMemberUserIds, listModulesOfPlatform, type PlatformModuleRef } from '../store/member-records-repository';
import type { CsvCell } from './csv-text';

// The audit log as administrators browse it: one platform only, filtered by module, learner (Moodle user id) and
// action. Learners are named by their Moodle user id, never by name: the log is about access, not about them.

export const AUDIT_PAGE_SIZE = 100;

export interface AuditFilter {
  moduleId?: string;
  learnerUserId?: string;
  action?: string;
}

export interface AuditRowView {
  at: Date;
  module: string;
  actor: string;
  actorRole: string;
  learner: string;
  action: string;
  details: string;
}

export interface AuditPageView {
  filter: AuditFilter;
  modules: Array<{ id: string; title: string; selected: boolean }>;
  actions: Array<{ value: string; selected: boolean }>;
  rows: AuditRowView[];
  /** Cursor of the next (older) page, or null on the last page. */
  next: string | null;
  /** The learner filter names nobody on this platform. */
  learnerUnknown: boolean;
  /** The filter as a query string, for the CSV and paging links. */
  filterQuery: string;
}

export class UnknownModuleError extends Error {}

function moduleTitle(m: PlatformModuleRef): string {
  return m.title || m.label || `Course ${m.contextId}`;
}

function detailsText(detail: AuditRow['detail']): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${v === null ? '—' : String(v)}`)
    .join('; ');
}

export function encodeCursor(row: AuditRow): string {
  return `${row.at.toISOString()}_${row.id}`;
}

export function decodeCursor(text: string | undefined): AuditCursor | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z)_([0-9a-f]{24})$/.exec(text ?? '');
  return match ? { at: new Date(match[1]!), id: match[2]! } : undefined;
}

async function resolveQuery(platformId: string, filter: AuditFilter, modules: PlatformModuleRef[]): Promise<{ query: AuditQuery; learnerUnknown: boolean }> {
  if (filter.moduleId && !modules.some((m) => m.id === filter.moduleId)) throw new UnknownModuleError('Choose a module from the list: that one is not part of this Moodle site.');
  const query: AuditQuery = { platformId, moduleId: filter.moduleId, action: filter.action };
  if (!filter.learnerUserId) return { query, learnerUnknown: false };
  const scope = filter.moduleId ? [filter.moduleId] : modules.map((m) => m.id);
  const refs = await findMemberRefsByUserId(scope, filter.learnerUserId);
  return { query: { ...query, learnerMemberIds: refs.map((r) => r.memberId) }, learnerUnknown: refs.length === 0 };
}

async function toViews(rows: AuditRow[], modules: PlatformModuleRef[]): Promise<AuditRowView[]> {
  const titles = new Map(modules.map((m) => [m.id, moduleTitle(m)]));
  const learners = await findMemberUserIds(rows.flatMap((r) => (r.learnerMemberId ? [r.learnerMemberId] : [])));
  return rows.map((r) => ({
    at: r.at,
    module: r.moduleId ? titles.get(r.moduleId) ?? 'A removed module' : '—',
    actor: r.actorUserId,
    actorRole: r.actorRole,
    learner: r.learnerMemberId ? learners.get(r.learnerMemberId) ?? 'No longer held' : '—',
    action: r.action,
    details: detailsText(r.detail),
  }));
}

export async function buildAuditPage(platformId: string, filter: AuditFilter, after?: AuditCursor): Promise<AuditPageView> {
  const [modules, actions] = await Promise.all([listModulesOfPlatform(platformId), listAuditActions(platformId)]);
  const { query, learnerUnknown } = await resolveQuery(platformId, filter, modules);
  // One extra row says whether an older page exists.
  const rows = learnerUnknown ? [] : await queryAuditEntries(query, AUDIT_PAGE_SIZE + 1, after);
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  return {
    filter,
    modules: modules.map((m) => ({ id: m.id, title: moduleTitle(m), selected: m.id === filter.moduleId })),
    actions: actions.map((value) => ({ value, selected: value === filter.action })),
    rows: await toViews(page, modules),
    next: rows.length > AUDIT_PAGE_SIZE ? encodeCursor(page[page.length - 1]!) : null,
    learnerUnknown,
    filterQuery: filterQuery(filter),
  };
}

export function filterQuery(filter: AuditFilter): string {
  const q = new URLSearchParams();
  if (filter.moduleId) q.set('module', filter.moduleId);
  if (filter.learnerUserId) q.set('learner', filter.learnerUserId);
  if (filter.action) q.set('action', filter.action);
  return q.toString();
}

export const AUDIT_CSV_HEADER = ['when (UTC)', 'module', 'who (Moodle user id)', 'role', 'learner (Moodle user id)', 'action', 'details'] as const;

/** Every matching entry as CSV rows, newest first, resolved in batches so memory stays flat. */
export async function* auditCsvRows(platformId: string, filter: AuditFilter): AsyncGenerator<CsvCell[]> {
  const modules = await listModulesOfPlatform(platformId);
  const { query, learnerUnknown } = await resolveQuery(platformId, filter, modules);
  if (learnerUnknown) return;
  let batch: AuditRow[] = [];
  const flush = async function* () {
    for (const v of await toViews(batch, modules)) yield [v.at.toISOString(), v.module, v.actor, v.actorRole, v.learner, v.action, v.details];
    batch = [];
  };
  for await (const row of streamAuditEntries(query)) {
    batch.push(row);
    if (batch.length >= 500) yield* flush();
  }
  yield* flush();
}
