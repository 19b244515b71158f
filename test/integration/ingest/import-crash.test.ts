import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { TestBrowser } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { moodleLogCsv, type LogRow } from '../../support/moodle-log-builder';
import { rebuildModuleRollups } from '../../../src/ingest/daily-rollup';
import { listModuleRollups } from '../../../src/store/daily-activity-repository';
import { findModule } from '../../../src/store/module-repository';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import type { Module } from '../../../src/store/types';

const COURSE = 'CRASH1';
const LEARNERS = 20;
const ROWS = 6000;
const BATCH = 500;
const REPO = path.resolve(__dirname, '../../..');

const sortRows = <T extends { memberId: string; day: string; source: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.memberId}${a.day}${a.source}`.localeCompare(`${b.memberId}${b.day}${b.source}`));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('an import killed half-way', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  let file: string;

  /** The real command-line import, in its own process, as an operator would run it. */
  function startImport(): { child: ChildProcess; exited: Promise<Exit> } {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', 'src/cli/import-cli.ts', '--module', module.id, '--format', 'moodle-course-log', '--batch-size', String(BATCH), '--quiet', file],
      { cwd: REPO, env: { ...process.env, MONGODB_URI: tool.databaseUri, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { child, exited };
  }

  const storedEvents = () => EngagementEventModel.countDocuments({ moduleId: new Types.ObjectId(module.id), source: 'vle' });

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'silent' });
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: COURSE, title: 'Crash course' });
    reg.platform.addMember(COURSE, { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    for (let i = 0; i < LEARNERS; i++) reg.platform.addMember(COURSE, { userId: String(2000 + i), name: `Learner ${i}`, roles: ['Learner'] });
    await new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: COURSE, userId: 't1', roles: [ROLE.instructor] });
    const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
    module = (await findModule(await platform!.platformId(), COURSE))!;

    // One row every 7 minutes over about a month, spread over the learners.
    const start = Date.UTC(2026, 9, 1, 8, 0, 0);
    const rows: LogRow[] = Array.from({ length: ROWS }, (_, i) => ({ at: new Date(start + i * 7 * 60_000), userId: String(2000 + (i % LEARNERS)), fullName: `Learner ${i % LEARNERS}` }));
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-crash-')), 'logs_CRASH1.csv');
    fs.writeFileSync(file, moodleLogCsv(rows));
  });

  afterAll(async () => {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await reg.platform.close();
    await tool.close();
  });

  it('when the import process is killed half-way and run again, then every row is stored once and the rollups equal a rebuild', async () => {
    const first = startImport();
    // Kill it once some batches are in, long before the last one.
    let killedAt = 0;
    const deadline = Date.now() + 120_000;
    while (killedAt === 0) {
      const stored = await storedEvents();
      if (stored >= ROWS / 4) {
        first.child.kill('SIGKILL');
        killedAt = stored;
      } else if (first.child.exitCode !== null || Date.now() > deadline) {
        { const e = await first.exited; throw new Error(`The import ended (code ${e.code}) before it could be killed: ${e.stdout} ${e.stderr}`); }
      } else await new Promise((r) => setTimeout(r, 25));
    }
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = await storedEvents();
    expect(afterKill).toBeLessThan(ROWS);

    const rerun = startImport();
    const done = await rerun.exited;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    const summary = JSON.parse(done.stdout.trim().split('\n').pop()!) as { rows: number; imported: number; alreadyStored: number };
    expect(summary.rows).toBe(ROWS);
    expect(summary.imported + summary.alreadyStored).toBe(ROWS);
    expect(summary.alreadyStored).toBeGreaterThanOrEqual(killedAt);

    // Every row once: as many events as rows, and as many distinct source ids.
    expect(await storedEvents()).toBe(ROWS);
    const ids = await EngagementEventModel.distinct('sourceId', { moduleId: new Types.ObjectId(module.id), source: 'vle' });
    expect(ids).toHaveLength(ROWS);

    const incremental = sortRows(await listModuleRollups(module.id)).filter((r) => r.source === 'vle');
    expect(incremental.reduce((n, r) => n + r.count, 0)).toBe(ROWS);
    await rebuildModuleRollups(module.id, module.timeZone);
    expect(sortRows(await listModuleRollups(module.id)).filter((r) => r.source === 'vle')).toEqual(incremental);
  }, 300_000);
});
