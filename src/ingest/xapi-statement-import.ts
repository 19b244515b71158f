import { mapXapiStatements } from './formats/xapi-statement-mapper';
import { nameBasedUuid } from './formats/stable-ids';
import { MemberMatcher } from './member-matcher';
import { storeEventsWithRollups } from './daily-rollup';
import { findModule, getModuleById } from '../store/module-repository';
import { listMembers } from '../store/member-repository';
import { findPlatformProfile } from '../store/platform-repository';
import type { NewEngagementEvent } from '../store/event-repository';
import type { XapiCredential } from '../store/xapi-credential-repository';
import type { Module } from '../store/types';

// Statements from Moodle's Logstore xAPI plugin -> engagement events, answered as a Learning Record Store would.
// Statement bodies are never stored or logged: only the fields the mapper picks out reach an event.

export type XapiAnswer =
  | { status: 200; statementIds: string[]; stored: number; alreadyStored: number; ignored: number; changedModuleIds: string[] }
  | { status: 400; problems: Array<{ index: number; reason: string }> };

/** The id an LRS answers with, also for statements Waymark acknowledges without storing. */
function answeredId(raw: unknown, index: number): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id ? id.toLowerCase() : nameBasedUuid(`xapi-unidentified:${index}:${JSON.stringify(raw) ?? ''}`);
}

interface ModuleContext {
  module: Module;
  matcher: MemberMatcher;
  events: NewEngagementEvent[];
}

/**
 * Stores a POST body (one statement or an array). Any unreadable statement refuses the whole batch (400), as an
 * LRS does, so nothing is half-stored. Readable statements Waymark does not count (a grade, another course, a
 * person not in the module) are acknowledged with the rest: the plugin would otherwise resend them forever.
 */
export async function storeXapiStatements(credential: XapiCredential, body: unknown): Promise<XapiAnswer> {
  const raws = Array.isArray(body) ? body : [body];
  if (raws.length === 0) return { status: 400, problems: [{ index: 0, reason: 'The request holds no statements.' }] };
  const platform = await findPlatformProfile(credential.platformId);
  const results = mapXapiStatements(body, { siteUrl: platform?.issuer });
  const problems = results.flatMap((r) => (!r.ok && !r.ignored ? [{ index: r.index, reason: r.reason }] : []));
  if (problems.length > 0) return { status: 400, problems };

  const contexts = new Map<string, ModuleContext | null>();
  const contextFor = async (courseId: string): Promise<ModuleContext | null> => {
    if (contexts.has(courseId)) return contexts.get(courseId) ?? null;
    let module: Module | null;
    if (credential.scope === 'module') {
      module = credential.moduleId ? await getModuleById(credential.moduleId) : null;
      // A site-wide plugin sends every course's statements; a module key takes only its own course's.
      if (module && module.contextId !== courseId) module = null;
    } else {
      module = await findModule(credential.platformId, courseId);
    }
    const context = module ? { module, matcher: new MemberMatcher(await listMembers(module.id)), events: [] } : null;
    contexts.set(courseId, context);
    return context;
  };

  let ignored = 0;
  for (const r of results) {
    if (!r.ok) {
      ignored++;
      continue;
    }
    const context = await contextFor(r.courseId);
    const match = context?.matcher.match(r.record.person);
    if (!context || !match) {
      ignored++;
      continue;
    }
    context.events.push({
      moduleId: context.module.id,
      memberId: match.member.id,
      source: r.record.source === 'assignment' ? 'assignment' : 'vle',
      sourceId: r.record.sourceId,
      occurredAt: r.record.occurredAt,
      count: r.record.count,
      minutes: r.record.minutes,
      detail: r.record.detail,
    });
  }
  let stored = 0;
  let alreadyStored = 0;
  const changedModuleIds: string[] = [];
  for (const context of contexts.values()) {
    if (!context) continue;
    const batch = await storeEventsWithRollups(context.module.id, context.module.timeZone, context.events);
    if (batch.inserted > 0) changedModuleIds.push(context.module.id);
    stored += batch.inserted;
    alreadyStored += batch.alreadyStored;
  }
  const statementIds = results.map((r) => (r.ok ? r.statementId : answeredId(raws[r.index], r.index)));
  return { status: 200, statementIds, stored, alreadyStored, ignored, changedModuleIds };
}
