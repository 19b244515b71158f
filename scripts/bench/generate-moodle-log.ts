/**
 * Writes a realistic English Moodle course log CSV (Course > Reports > Logs > Download) for the ingest benchmark:
 * UTF-8 with BOM, PHP-style quoting, newest rows first, wall-clock times in Europe/London, a roster of learners
 * plus a few staff, and the awkward rows real logs have (system events, "logged in as", identical repeats).
 *
 *   npx tsx scripts/bench/generate-moodle-log.ts [rows=1000000] [outfile=<tmp>/moodle-log-<rows>.csv]
 */
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { DateTime } from 'luxon';

export interface MoodleLogOptions {
  rows: number;
  seed?: number;
  rosterSize?: number;
  /** The newest row's time. */
  newest?: Date;
}

const HEADER = 'Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"';
const TIME_ZONE = 'Europe/London';
const COURSE_ID = 12;
const COURSE_NAME = 'Research Methods in Psychology';
const FIRST_NAMES = [
  'Amira', 'Loc', 'Chau', 'Jordan', 'Sam', 'Mia', 'Robin', 'Ana', 'Piotr', 'Zofia', 'Kwame', 'Aisha', 'Tomasz', 'Priya', 'Oliver',
  'Freya', 'Mateo', 'Yusuf', 'Hannah', 'Ifeoma', 'Callum', 'Niamh', 'Rhys', 'Siobhán', 'Jiayi', 'Haruto', 'Leila', 'Omar', 'Elena',
  'Dmitri', 'Grace', 'Kofi', 'Ines', 'Noah', 'Sofia', 'Arjun', 'Maya', 'Ewan', 'Chloe', 'Tariq',
];
const LAST_NAMES = [
  'Haddad', 'Nguyen', 'Bui', 'Price', 'Osei', 'Schulz', 'Kaur', 'Ferreira', 'Nowak', 'Wiśniewska', 'Mensah', 'Khan', 'Kowalski',
  'Patel', 'Hughes', 'Campbell', 'García', 'Demir', 'Okafor', 'Eze', 'MacLeod', "O'Brien", 'Jones', 'Murphy', 'Chen', 'Sato', 'Rahman',
  'Ali', 'Popescu', 'Ivanov', 'Evans', 'Boateng', 'Silva', 'Taylor', 'Rossi', 'Sharma', 'Levy', 'Fraser', 'Martin', 'Aziz',
];
const STAFF = [
  { id: 5, name: 'Helen Okafor' },
  { id: 6, name: 'Tom Reyes' },
  { id: 7, name: 'Grace Lindqvist' },
];

interface Module {
  cmid: number;
  type: string;
  component: string;
  name: string;
}

const MODULES: Module[] = [
  ...Array.from({ length: 12 }, (_, week) => ({ cmid: 640 + week, type: 'page', component: 'Page', name: `Week ${week + 1}: overview` })),
  ...Array.from({ length: 12 }, (_, week) => ({ cmid: 670 + week, type: 'resource', component: 'File', name: `Week ${week + 1} slides, annotated` })),
  { cmid: 651, type: 'forum', component: 'Forum', name: 'Questions about the module' },
  { cmid: 652, type: 'forum', component: 'Forum', name: 'Announcements' },
  { cmid: 655, type: 'quiz', component: 'Quiz', name: 'Week 3 check: sampling' },
  { cmid: 656, type: 'quiz', component: 'Quiz', name: 'Week 7 check: inference' },
  { cmid: 660, type: 'assign', component: 'Assignment', name: 'Research proposal' },
  { cmid: 661, type: 'assign', component: 'Assignment', name: 'Lab report 1' },
  { cmid: 701, type: 'url', component: 'URL', name: 'Reading list' },
];
const contextOf = (module: Module): string =>
  `${{ page: 'Page', resource: 'File', forum: 'Forum', quiz: 'Quiz', assign: 'Assignment', url: 'URL' }[module.type]}: ${module.name}`;

/** Small, fast, seeded PRNG (mulberry32) so the same arguments always give the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PHP's fputcsv quotes fields with spaces, commas, quotes or line breaks. */
function csvField(value: string): string {
  return /[\s,"]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// London offset per UTC hour: luxon once an hour instead of once a row.
const offsetByHour = new Map<number, number>();
function londonTime(ms: number): string {
  const hour = Math.floor(ms / 3_600_000);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = DateTime.fromMillis(hour * 3_600_000, { zone: TIME_ZONE }).offset;
    offsetByHour.set(hour, offset);
  }
  const local = new Date(ms + offset * 60_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${local.getUTCDate()}/${two(local.getUTCMonth() + 1)}/${two(local.getUTCFullYear() % 100)}, ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`;
}

/** Header first (with BOM), then one line per row, each ending in LF. */
export function* moodleLogLines(options: MoodleLogOptions): Generator<string> {
  const next = random(options.seed ?? 20261111);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const roster = Array.from({ length: options.rosterSize ?? 500 }, (_, index) => ({
    id: 1000 + index,
    name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
    ip: `10.${20 + (index % 8)}.${Math.floor(index / 8) % 250}.${1 + (index % 250)}`,
  }));
  let time = (options.newest ?? new Date('2026-12-11T22:59:59Z')).getTime();
  let previous = '';

  yield `\uFEFF${HEADER}\n`;
  for (let row = 0; row < options.rows; row++) {
    // Roughly one event every 10 s on average, busier in the day than at night.
    time -= Math.floor(next() * next() * 40_000);
    if (previous && next() < 0.01) {
      yield previous; // the same event logged twice in one second happens in real logs
      continue;
    }
    const line = eventLine(time, roster, next, pick);
    previous = line;
    yield line;
  }
}

function eventLine(
  time: number,
  roster: { id: number; name: string; ip: string }[],
  next: () => number,
  pick: <T>(items: readonly T[]) => T,
): string {
  const when = londonTime(time);
  const roll = next();
  const learner = pick(roster);
  const module = pick(MODULES);
  let user = learner.name;
  let userId = learner.id;
  let ip = learner.ip;
  let affected = '-';
  let context = contextOf(module);
  let component = module.component;
  let eventName: string;
  let description: string;
  let origin = 'web';

  if (roll < 0.3) {
    context = `Course: ${COURSE_NAME}`;
    component = 'System';
    eventName = 'Course viewed';
    description = `The user with id '${userId}' viewed the course with id '${COURSE_ID}'.`;
  } else if (roll < 0.7) {
    eventName = 'Course module viewed';
    description = `The user with id '${userId}' viewed the '${module.type}' activity with course module id '${module.cmid}'.`;
  } else if (roll < 0.78) {
    const forum = pick(MODULES.filter((m) => m.type === 'forum'));
    context = contextOf(forum);
    component = 'Forum';
    eventName = 'Discussion viewed';
    description = `The user with id '${userId}' has viewed the discussion with id '${200 + Math.floor(next() * 80)}' in the forum with course module id '${forum.cmid}'.`;
  } else if (roll < 0.8) {
    const forum = MODULES.find((m) => m.cmid === 651)!;
    context = contextOf(forum);
    component = 'Forum';
    eventName = 'Post created';
    description = `The user with id '${userId}' has created the post with id '${5000 + Math.floor(next() * 4000)}' in the discussion with id '${200 + Math.floor(next() * 80)}' in the forum with course module id '${forum.cmid}'.`;
  } else if (roll < 0.85) {
    const quiz = pick(MODULES.filter((m) => m.type === 'quiz'));
    context = contextOf(quiz);
    component = 'Quiz';
    const attempt = 3000 + Math.floor(next() * 2000);
    [eventName, description] =
      next() < 0.5
        ? ['Quiz attempt started', `The user with id '${userId}' has started the attempt with id '${attempt}' for the quiz with course module id '${quiz.cmid}'.`]
        : ['Quiz attempt submitted', `The user with id '${userId}' has submitted the attempt with id '${attempt}' for the quiz with course module id '${quiz.cmid}'.`];
  } else if (roll < 0.93) {
    const assign = pick(MODULES.filter((m) => m.type === 'assign'));
    context = contextOf(assign);
    component = 'Assignment';
    if (next() < 0.85) {
      eventName = 'The status of the submission has been viewed.';
      description = `The user with id '${userId}' has viewed the submission status page for the assignment with course module id '${assign.cmid}'.`;
    } else {
      eventName = 'A submission has been submitted.';
      description = `The user with id '${userId}' has submitted the submission with id '${1900 + Math.floor(next() * 900)}' for the assignment with course module id '${assign.cmid}'.`;
    }
  } else if (roll < 0.985) {
    const staff = pick(STAFF);
    const assign = pick(MODULES.filter((m) => m.type === 'assign'));
    user = staff.name;
    userId = staff.id;
    ip = '10.20.9.2';
    affected = learner.name;
    context = contextOf(assign);
    component = 'Assignment';
    eventName = 'The submission has been graded.';
    description = `The user with id '${userId}' has graded the submission '${1900 + Math.floor(next() * 900)}' for the user with id '${learner.id}' for the assignment with course module id '${assign.cmid}'.`;
  } else if (roll < 0.995) {
    user = '-';
    ip = '';
    origin = 'cli';
    context = `Course: ${COURSE_NAME}`;
    component = 'System';
    eventName = 'Course backup created';
    description = `Backup of the course with id '${COURSE_ID}' was created.`;
  } else {
    user = `${pick(STAFF).name} as ${learner.name}`;
    ip = '10.20.9.2';
    eventName = 'Course module viewed';
    description = `The user with id '${userId}' viewed the '${module.type}' activity with course module id '${module.cmid}'.`;
  }
  return `${[when, user, affected, context, component, eventName, description, origin, ip].map(csvField).join(',')}\n`;
}

/** The same log as a byte stream in ~64 KB chunks, never whole in memory. */
export function moodleLogReadable(options: MoodleLogOptions): Readable {
  return Readable.from(
    (function* () {
      let chunk = '';
      for (const line of moodleLogLines(options)) {
        chunk += line;
        if (chunk.length >= 65_536) {
          yield Buffer.from(chunk, 'utf8');
          chunk = '';
        }
      }
      if (chunk) yield Buffer.from(chunk, 'utf8');
    })(),
    { objectMode: false },
  );
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a whole number, got '${process.argv[2]}'`);
  const outfile = process.argv[3] ?? join(tmpdir(), `moodle-log-${rows}.csv`);
  const started = Date.now();
  const out = createWriteStream(outfile);
  let bytes = 0;
  for await (const chunk of moodleLogReadable({ rows })) {
    bytes += (chunk as Buffer).length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  console.log(`${rows} rows, ${(bytes / 1_048_576).toFixed(1)} MB -> ${outfile} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
