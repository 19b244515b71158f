import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { purgeExpiredMembers, retentionPurgeJob } from '../../../src/governance/retention-purge';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { applyRoster, findMemberByUserId, type RosterEntry } from '../../../src/store/member-repository';
import { upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { savePlatformProfile } from '../../../src/store/platform-repository';
import { PlatformProfileModel } from '../../../src/store/models/platform-profile-model';
import { MemberModel } from '../../../src/store/models/member-model';
import { saveModuleSettings } from '../../../src/store/module-settings-repository';
import type { Member, Module } from '../../../src/store/types';
import { countAll, countRecords, seedMemberRecords } from './member-data-seed';

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

const person = (userId: string): RosterEntry => ({ userId, name: `Person ${userId}`, givenName: 'Person', familyName: userId, email: `${userId}@example.ac.uk`, sourcedId: '', roles: ['Learner'], status: 'active' });

/** A module whose roster had `everyone` from `joined`, then lost each member at the date given for them. */
async function moduleWithLeavers(platformId: string, contextId: string, joined: Date, everyone: string[], leaving: Array<[string, Date]>): Promise<{ module: Module; members: Map<string, Member> }> {
  const module = await upsertModuleFromLaunch({ platformId, contextId, deploymentId: '1', title: `Module ${contextId}`, label: contextId, nrpsUrl: null, agsLineItemsUrl: null });
  let present = [...everyone];
  await applyRoster(module.id, present.map(person), joined);
  for (const [userId, at] of [...leaving].sort((a, b) => a[1].getTime() - b[1].getTime())) {
    present = present.filter((id) => id !== userId);
    await applyRoster(module.id, present.map(person), at);
  }
  const members = new Map<string, Member>();
  for (const userId of everyone) members.set(userId, (await findMemberByUserId(module.id, userId))!);
  return { module, members };
}

describe('retention purge', () => {
  let db: TestDatabase;
  let six: { module: Module; members: Map<string, Member> };
  let two: { module: Module; members: Map<string, Member> };
  const NOW = new Date('2031-03-01T02:00:00Z');
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));

  beforeAll(async () => {
    db = await openTestDatabase();
    await savePlatformProfile({ platformId: 'plat-six', issuer: 'https://six.example', clientId: 'c6', name: 'Default site', registeredBy: 'cli', deploymentIds: ['1'] });
    await savePlatformProfile({ platformId: 'plat-two', issuer: 'https://two.example', clientId: 'c2', name: 'Short site', registeredBy: 'cli', deploymentIds: ['1'] });
    await PlatformProfileModel.updateOne({ platformId: 'plat-two' }, { $set: { retentionYearsAfterLeaving: 2 } });
    // Default six years: cutoff 2025-03-01. "old" left in 2024 (expired); "recent" left in 2026; "stays" never left.
    six = await moduleWithLeavers('plat-six', 'HIST1', new Date('2020-09-01T09:00:00Z'), ['old', 'recent', 'stays'], [
      ['old', new Date('2024-06-30T09:00:00Z')],
      ['recent', new Date('2026-01-15T09:00:00Z')],
    ]);
    // Two years on the other site: cutoff 2029-03-01, so leaving in 2028 is past it there.
    two = await moduleWithLeavers('plat-two', 'HIST1', new Date('2027-09-01T09:00:00Z'), ['old', 'left2028', 'left2030'], [
      ['left2028', new Date('2028-12-01T09:00:00Z')],
      ['left2030', new Date('2030-06-01T09:00:00Z')],
    ]);
    for (const [platformId, site] of [['plat-six', six], ['plat-two', two]] as const) {
      for (const member of site.members.values()) await seedMemberRecords(site.module, member, platformId, new Date('2024-01-10T10:00:00Z'));
    }
  });

  afterAll(async () => {
    await db.close();
  });

  it('when run as a dry run, then it reports exactly the expired members’ records per platform and changes nothing', async () => {
    const before = await countAll();
    const result = await purgeExpiredMembers({ now: NOW, dryRun: true });
    expect(await countAll()).toEqual(before);
    expect(result.dryRun).toBe(true);
    const byPlatform = Object.fromEntries(result.platforms.map((p) => [p.platformId, p]));
    expect(byPlatform['plat-six']).toMatchObject({ retentionYears: 6, cutoff: new Date('2025-03-01T02:00:00Z'), members: 1 });
    expect(byPlatform['plat-two']).toMatchObject({ retentionYears: 2, cutoff: new Date('2029-03-01T02:00:00Z'), members: 1 });
    // One of each record per member; two audit entries about each (a staff view and their own).
    const one = { members: 1, events: 1, dailyActivity: 1, submissions: 1, alerts: 1, interventions: 1, knownCauses: 1, dataReports: 1, launchSessions: 1, memberSnapshots: 1, digestSubscriptions: 1, auditEntries: 2 };
    expect(byPlatform['plat-six']!.counts).toEqual(one);
    expect(result.totals).toEqual(Object.fromEntries(Object.entries(one).map(([k, v]) => [k, v * 2])));
  });

  it('when applied, then exactly the expired members and everything about them are gone, and everyone else is untouched', async () => {
    const expired = [six.members.get('old')!, two.members.get('left2028')!];
    const kept = [six.members.get('recent')!, six.members.get('stays')!, two.members.get('old')!, two.members.get('left2030')!];
    const keptBefore = await countRecords(kept);
    logLines.length = 0;
    const result = await purgeExpiredMembers({ now: NOW, dryRun: false, logger, actor: 'command-line' });
    expect(result.totals.members).toBe(2);
    expect(Object.values(await countRecords(expired)).every((n) => n === 0)).toBe(true);
    expect(await countRecords(kept)).toEqual(keptBefore);
    expect(Object.values(keptBefore).every((n) => n > 0)).toBe(true);
    // The same person id on the other site ("old" there has not left) keeps everything.
    expect(await findMemberByUserId(two.module.id, 'old')).not.toBeNull();
  });

  it('when applied, then the log and the audit log carry counts only, never a name, email, user id or content', async () => {
    const lines = logLines.map((l) => JSON.parse(l));
    expect(lines.map((l) => l.platformId).sort()).toEqual(['plat-six', 'plat-two']);
    expect(lines.every((l) => l.msg === 'retention purge' && l.members === 1 && l.counts.events === 1)).toBe(true);
    const audit = (await listAuditEntries({ action: 'retention.purge' })).map((e) => JSON.stringify(e));
    expect(audit).toHaveLength(2);
    for (const text of [...logLines, ...audit]) {
      for (const personal of ['Person ', '@example.ac.uk', '"old"', 'left2028', 'Supportive email', 'says Tuesday']) expect(text).not.toContain(personal);
    }
  });

  it('when run again, then there is nothing left to remove', async () => {
    const result = await purgeExpiredMembers({ now: NOW, dryRun: true });
    expect(result.totals.members).toBe(0);
    expect(result.totals.events).toBe(0);
  });

  it('when the scheduled job runs, then it applies the purge as of the runner’s clock', async () => {
    const later = await moduleWithLeavers('plat-six', 'HIST2', new Date('2020-09-01T09:00:00Z'), ['gone2024', 'here'], [['gone2024', new Date('2024-01-31T09:00:00Z')]]);
    const leaver = later.members.get('gone2024')!;
    await seedMemberRecords(later.module, leaver, 'plat-six', new Date('2024-01-10T10:00:00Z'));
    const job = retentionPurgeJob(logger);
    expect(job.everyMs).toBe(24 * 3_600_000);
    await job.run({ signal: new AbortController().signal, now: () => NOW });
    expect(Object.values(await countRecords([leaver])).every((n) => n === 0)).toBe(true);
    expect(await findMemberByUserId(later.module.id, 'here')).not.toBeNull();
  });

  it('when a module’s teaching ended before the cutoff and it fell silent, then members never seen since are purged and one seen since is kept', async () => {
    await savePlatformProfile({ platformId: 'plat-quiet', issuer: 'https://quiet.example', clientId: 'cq', name: 'Quiet site', registeredBy: 'cli', deploymentIds: ['1'] });
    // Nobody left in the roster: the course was simply never synced again after its spring term.
    const quiet = await moduleWithLeavers('plat-quiet', 'OLD1', new Date('2027-01-15T09:00:00Z'), ['silent', 'returned'], []);
    const calendar = { timeZone: 'Europe/London', start: '2027-01-11', end: '2027-03-26', nonTeachingWeeks: [] };
    await saveModuleSettings(quiet.module.id, { calendar, markers: null, thresholds: {}, expectationsText: '', contactText: '' }, 't1');
    await MemberModel.updateOne({ _id: quiet.members.get('returned')!.id }, { $set: { lastLaunchAt: new Date('2029-05-01T09:00:00Z') } });
    for (const member of quiet.members.values()) await seedMemberRecords(quiet.module, member, 'plat-quiet', new Date('2027-02-10T10:00:00Z'));

    // Six years back from mid-2032 is mid-2026, before the teaching ended: nobody has left yet.
    expect((await purgeExpiredMembers({ now: new Date('2032-06-01T02:00:00Z'), dryRun: true, platformId: 'plat-quiet' })).totals.members).toBe(0);
    const result = await purgeExpiredMembers({ now: new Date('2034-01-01T02:00:00Z'), dryRun: false, platformId: 'plat-quiet' });
    expect(result.totals.members).toBe(1);
    expect(Object.values(await countRecords([quiet.members.get('silent')!])).every((n) => n === 0)).toBe(true);
    expect(await findMemberByUserId(quiet.module.id, 'returned')).not.toBeNull();
  });

  it('when the purge command runs without --apply, then it is a dry run that prints counts and a JSON line and changes nothing', async () => {
    const before = await countAll();
    const expected = await purgeExpiredMembers({ now: new Date(), dryRun: true });
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/purge-cli.ts'], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: db.uriWithDb, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('Dry run: nothing was changed. Run again with --apply to remove it.');
    const summary = JSON.parse(lines[lines.length - 1]!);
    expect(summary.dryRun).toBe(true);
    expect(summary.totals.members).toBe(expected.totals.members);
    expect(await countAll()).toEqual(before);
  });
});
