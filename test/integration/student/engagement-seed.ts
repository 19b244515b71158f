import { DateTime } from 'luxon';
import type { RunningTool } from '../../support/test-tool';
import type { Registration } from '../../support/registered-platform';
import { insertEvents } from '../../../src/store/event-repository';
import { TouchedDays, recomputeMemberDays } from '../../../src/ingest/daily-rollup';
import { findModule } from '../../../src/store/module-repository';
import { findMemberByUserId } from '../../../src/store/member-repository';
import { saveModuleSettings } from '../../../src/store/module-settings-repository';
import type { Member, Module } from '../../../src/store/types';

// Seeds engagement the way imports store it (events, then rollups recomputed from them), relative to today.

const ZONE = 'Europe/London';

export async function moduleOf(tool: RunningTool, reg: Registration, courseId: string): Promise<Module> {
  const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
  const module = await findModule(await platform!.platformId(), courseId);
  if (!module) throw new Error(`No module ${courseId}: launch into it first`);
  return module;
}

export async function memberOf(module: Module, userId: string): Promise<Member> {
  const member = await findMemberByUserId(module.id, userId);
  if (!member) throw new Error(`No member ${userId} in ${module.contextId}`);
  return member;
}

/** The Monday `weeks` weeks before this week's Monday, in London. */
export function mondayWeeksAgo(weeks: number, now = new Date()): string {
  return DateTime.fromJSDate(now, { zone: ZONE }).startOf('week').minus({ weeks }).toISODate()!;
}

export function addDays(day: string, days: number): string {
  return DateTime.fromISO(day).plus({ days }).toISODate()!;
}

/** A 12-week teaching period that started `weeksAgo` weeks ago, so those weeks are complete and judged. */
export async function startTeachingPeriod(module: Module, weeksAgo: number, texts: { expectationsText?: string; contactText?: string } = {}): Promise<string> {
  const start = mondayWeeksAgo(weeksAgo);
  await saveModuleSettings(
    module.id,
    {
      calendar: { timeZone: ZONE, start, end: addDays(start, 12 * 7 - 1), nonTeachingWeeks: [] },
      markers: null,
      thresholds: {},
      expectationsText: texts.expectationsText ?? '',
      contactText: texts.contactText ?? '',
    },
    'test',
  );
  return start;
}

/** One Moodle page view at noon (London) on each given day. */
export async function seedVleDays(module: Module, member: Member, days: string[], tag = 'seed'): Promise<void> {
  const touched = new TouchedDays(module.timeZone);
  const events = days.map((day, i) => {
    const at = DateTime.fromISO(`${day}T12:00:00`, { zone: ZONE }).toJSDate();
    touched.add(member.id, at);
    return {
      moduleId: module.id,
      memberId: member.id,
      source: 'vle' as const,
      sourceId: `${tag}:${member.id}:${day}:${i}`,
      occurredAt: at,
      count: 1,
      minutes: 0,
      detail: { eventName: 'Course module viewed', component: 'Page' },
    };
  });
  await insertEvents(events);
  await recomputeMemberDays(module.id, touched, module.timeZone);
}

/** `perWeek` active days (Mon, Tue, ...) in each of the first `weeks` weeks from `start`. */
export function activeDays(start: string, weeks: number, perWeek: number): string[] {
  const days: string[] = [];
  for (let w = 0; w < weeks; w++) for (let d = 0; d < perWeek; d++) days.push(addDays(start, w * 7 + d));
  return days;
}
