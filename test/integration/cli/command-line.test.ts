import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { applyRoster, listMembers, type RosterEntry } from '../../../src/store/member-repository';
import { storeEventsWithRollups } from '../../../src/ingest/daily-rollup';
import { getModuleSnapshot } from '../../../src/store/module-snapshot-repository';
import { DailyActivityModel } from '../../../src/store/models/daily-activity-model';
import { listAssignments } from '../../../src/store/assignment-repository';
import type { Module } from '../../../src/store/types';

// The npm scripts as the README names them, run the way a person types them.

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** npm's own lifecycle and developer scripts, which take no --help of ours. */
const NOT_COMMANDS = new Set(['start', 'test', 'test:unit', 'build', 'typecheck', 'lint']);
const COMMANDS = Object.keys(SCRIPTS).filter((name) => !NOT_COMMANDS.has(name));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function npmRun(script: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'error', ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const lastJsonLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;

describe('the command line', () => {
  it.each(COMMANDS)('when `npm run %s -- --help` runs, then it explains its usage and exits 0', async (name) => {
    expect(README).toContain(name);
    const out = await npmRun(name, ['--help']);
    expect(out.stderr.replace(/^npm warn.*\n?/gm, '')).toBe('');
    expect(out.code).toBe(0);
    // Each help names the npm script it belongs to, so the README and the help never disagree about how to call it.
    expect(out.stdout).toContain(`npm run ${name.startsWith('platform:') ? 'platform:' : name}`);
  }, 130_000);

  describe('on a module in the database', () => {
    let db: TestDatabase;
    let module: Module;

    beforeAll(async () => {
      db = await openTestDatabase();
      module = await upsertModuleFromLaunch({ platformId: 'cli-site', contextId: 'CLI101', deploymentId: '1', title: 'Command Line Module', label: 'CLI101', nrpsUrl: null, agsLineItemsUrl: null });
      const roster: RosterEntry[] = ['c1', 'c2', 'c3'].map((userId) => ({ userId, name: `Learner ${userId}`, givenName: 'Learner', familyName: userId, email: `${userId}@example.ac.uk`, sourcedId: '', roles: ['Learner'], status: 'active' }));
      await applyRoster(module.id, roster, new Date());
      const members = await listMembers(module.id);
      const yesterday = new Date(Date.now() - 86_400_000);
      await storeEventsWithRollups(
        module.id,
        module.timeZone,
        members.slice(0, 2).map((m, i) => ({ moduleId: module.id, memberId: m.id, source: 'vle', sourceId: `cli-${i}`, occurredAt: yesterday, count: 1, minutes: 0, detail: {} })),
      );
    });

    afterAll(async () => {
      await db.close();
    });

    it('when alerts:recompute runs with neither --module nor --all, then it says what to give and exits 2', async () => {
      const out = await npmRun('alerts:recompute', [], { MONGODB_URI: db.uriWithDb });
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('Give either --module MODULE or --all.');
    });

    it('when alerts:recompute names a module that does not exist, then it says so and exits 1', async () => {
      const out = await npmRun('alerts:recompute', ['--module', 'NOPE999'], { MONGODB_URI: db.uriWithDb });
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('No module NOPE999');
    });

    it('when alerts:recompute runs for a module by its course id, then the module is analysed and the figures end with one JSON line', async () => {
      expect(await getModuleSnapshot(module.id)).toBeNull();
      const out = await npmRun('alerts:recompute', ['--module', 'CLI101'], { MONGODB_URI: db.uriWithDb });
      expect(out.code).toBe(0);
      const figures = lastJsonLine(out.stdout);
      expect(figures).toMatchObject({ module: module.id, members: 3 });
      const snapshot = await getModuleSnapshot(module.id);
      expect(snapshot?.today).toBe(figures.today);
      expect(snapshot?.learnerCount).toBe(3);
    }, 130_000);

    it('when rollups:rebuild runs, then it rebuilds the rows the events give and reports their number', async () => {
      const before = await DailyActivityModel.countDocuments({ moduleId: module.id });
      await DailyActivityModel.deleteMany({ moduleId: module.id });
      const out = await npmRun('rollups:rebuild', ['--module', module.id], { MONGODB_URI: db.uriWithDb });
      expect(out.code).toBe(0);
      expect(lastJsonLine(out.stdout)).toEqual({ module: module.id, rollupRows: before });
      expect(await DailyActivityModel.countDocuments({ moduleId: module.id })).toBe(before);
      expect(before).toBeGreaterThan(0);
    }, 130_000);

    it('when import is given a worksheet’s due date day first, then the assignment is due at that time in the module’s zone; an impossible date is refused', async () => {
      // Learner c1 of the roster handed in; Moodle names the file after the course and the assignment.
      const worksheet = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-cli-')), 'Grades-CLI101-Essay-101.csv');
      fs.writeFileSync(
        worksheet,
        'Identifier,"Full name","Email address",Status,Group,Grade,"Maximum grade","Grade can be changed","Last modified (submission)","Online text","Last modified (grade)","Feedback comments"\n' +
          '"Participant 1","Learner c1",c1@example.ac.uk,"Submitted for grading - Graded","",68.00,100.00,Yes,"Friday, 15 March 2024, 2:05 PM","",-,\n',
      );
      const refused = await npmRun('import', ['--module', 'CLI101', '--format', 'moodle-grading-worksheet', '--due', '31/02/2024 17:00', worksheet], { MONGODB_URI: db.uriWithDb });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--due must be a date and time like 15/03/2026 17:00 (day first) or 2026-03-15T17:00');
      const out = await npmRun('import', ['--module', 'CLI101', '--format', 'moodle-grading-worksheet', '--due', '15/03/2024 17:00', '--quiet', worksheet], { MONGODB_URI: db.uriWithDb });
      expect(out.code).toBe(0);
      const assignment = (await listAssignments(module.id)).find((a) => a.title === 'Essay');
      // 17:00 in London on 15 March 2024 (GMT) is 17:00 UTC.
      expect(assignment?.dueAt?.toISOString()).toBe('2024-03-15T17:00:00.000Z');
    }, 130_000);
  });
});
