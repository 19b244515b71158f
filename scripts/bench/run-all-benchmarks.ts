// `npm run bench [-- --quick]`: every benchmark in turn (ingest, analytics, load, the raw-aggregation baseline and a
// scaling run at 100, 1,000 and 5,000 learners), each in its own process. Writes one JSON summary with the machine it
// ran on to data/bench-results/ and prints it as the last line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config';
import { openDatabase, describeDatabaseServer } from '../../src/store/database';
import { exitWithHelpIfAsked } from '../script-help';

const HELP = `Run every benchmark (ingest, analytics, load, raw-aggregation baseline, scaling at 100, 1,000 and 5,000 learners)
and write one JSON summary with the machine they ran on to data/bench-results/.

  npm run bench [-- --quick] [--only NAME]

  --quick       smaller sizes, for a first look
  --only NAME   only the steps whose name starts with NAME

Uses MONGODB_URI, or the embedded MongoDB when it is unset. Ends with one line of JSON.`;

const REPO_ROOT = path.resolve(__dirname, '../..');
const RESULTS_DIR = path.join(REPO_ROOT, 'data', 'bench-results');

interface Step {
  name: string;
  script: string;
  args: string[];
  timeoutMinutes: number;
}

interface StepOutcome {
  name: string;
  seconds: number;
  ok: boolean;
  result: unknown;
  problem?: string;
}

function steps(quick: boolean): Step[] {
  const scaling = quick ? [100, 1000] : [100, 1000, 5000];
  return [
    { name: 'ingest', script: 'scripts/bench/ingest-bench.ts', args: [], timeoutMinutes: 30 },
    { name: 'analytics', script: 'scripts/bench/analytics-bench.ts', args: [], timeoutMinutes: 15 },
    { name: 'load', script: 'scripts/bench/load-bench.ts', args: quick ? ['--duration', '20', '--saturation', '10'] : [], timeoutMinutes: 60 },
    { name: 'baseline', script: 'scripts/bench/baseline-aggregation.ts', args: ['--learners', '1000'], timeoutMinutes: 30 },
    ...scaling.flatMap((learners) => [
      { name: `scaling-load-${learners}`, script: 'scripts/bench/load-bench.ts', args: ['--learners', String(learners), '--users', '20', '--duration', quick ? '10' : '20', '--saturation', quick ? '10' : '20'], timeoutMinutes: 90 },
      { name: `scaling-baseline-${learners}`, script: 'scripts/bench/baseline-aggregation.ts', args: ['--learners', String(learners), '--runs', '3'], timeoutMinutes: 30 },
    ]),
  ];
}

/** Runs one benchmark script and takes the last line of its output that parses as JSON. */
function runStep(step: Step): Promise<StepOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    if (!fs.existsSync(path.join(REPO_ROOT, step.script))) {
      resolve({ name: step.name, seconds: 0, ok: false, result: null, problem: `${step.script} does not exist` });
      return;
    }
    console.log(`\n== ${step.name}: tsx ${step.script} ${step.args.join(' ')}`);
    const child = spawn(process.execPath, ['--import', 'tsx', step.script, ...step.args], { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), step.timeoutMinutes * 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = Math.round((Date.now() - started) / 1000);
      const lastJson = output
        .trim()
        .split('\n')
        .reverse()
        .map((line) => {
          try {
            return JSON.parse(line) as unknown;
          } catch {
            return undefined;
          }
        })
        .find((value) => value !== undefined && typeof value === 'object');
      const problem = signal ? `stopped after ${step.timeoutMinutes} minutes` : code !== 0 ? `exited with ${code}` : lastJson ? undefined : 'printed no JSON line';
      resolve({ name: step.name, seconds, ok: !problem, result: lastJson ?? null, ...(problem ? { problem } : {}) });
    });
  });
}

async function databaseDescription(): Promise<string> {
  const uri = loadConfig().mongodbUri;
  if (!uri) return 'embedded MongoDB 7.0.14 (mongodb-memory-server)';
  const db = await openDatabase({ uri, embeddedPath: 'data/bench-mongodb', dbName: 'waymark_bench_probe' });
  try {
    return await describeDatabaseServer();
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  exitWithHelpIfAsked(HELP);
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' } } });
  const chosen = steps(Boolean(values.quick)).filter((s) => !values.only || s.name.startsWith(values.only));
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    database: await databaseDescription(),
  };
  const outcomes: StepOutcome[] = [];
  for (const step of chosen) outcomes.push(await runStep(step));
  const summary = { at: new Date().toISOString(), machine, results: Object.fromEntries(outcomes.map((o) => [o.name, o])) };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `summary-${summary.at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(REPO_ROOT, file)}`);
  console.log(JSON.stringify(summary));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`The benchmarks could not run: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
