// Staff as they use Waymark: each opens it from Moodle (a real LTI launch that lands on the dashboard), then
// alternates between a learner's page and the dashboard, reading each page for a while before the next click.
import { performance } from 'node:perf_hooks';
import { TestBrowser, retryOnConnectionReset, type TestPlatform } from '../../test/platform';
import { ROLE } from '../../test/support/lti-roles';
import type { DemoRegistration } from '../demo/demo-registration';

export interface JourneyOptions {
  platform: TestPlatform;
  registration: DemoRegistration;
  courseId: string;
  waymarkUrl: string;
  learnerIds: readonly string[];
  users: number;
  durationS: number;
  /** Mean seconds a person spends on a page before the next click; each pause is drawn from 0.5-1.5 times it. */
  thinkS: number;
  /** Users arrive (launch) at random over this many seconds, as staff open Waymark over a morning, not all at once. */
  rampS: number;
  /** Staff user ids are this and a number: a prefix not used before makes every launch someone's first. */
  staffIdPrefix: string;
}

/** A user after launching: what autocannon needs to replay their page views. */
export interface LaunchedUser {
  ltik: string;
  cookie: string;
}

export interface JourneyResult {
  users: LaunchedUser[];
  launchMs: number[];
  /** Each request a launch made to Waymark (login, id token post, landing page), on its own. */
  launchRequestMs: number[];
  viewMs: number[];
  /** Page views started after the last launch ended: the pages without the launches' load. */
  steadyViewMs: number[];
  errors: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function launchOne(o: JourneyOptions, index: number, requestMs: number[]): Promise<{ browser: TestBrowser; ltik: string; ms: number }> {
  const userId = `${o.staffIdPrefix}${index}`;
  o.platform.addMember(o.courseId, { userId, name: `Bench Tutor ${index}`, roles: ['Instructor'] });
  const started = performance.now();
  // A launch reset by the network starts again in a fresh browser: the id token of the first one is spent.
  const { browser, page } = await retryOnConnectionReset(async () => {
    const waymarkOrigin = new URL(o.waymarkUrl).origin;
    const timings: number[] = [];
    const fresh = new TestBrowser({ onResponse: (r) => new URL(r.url).origin === waymarkOrigin && timings.push(r.ms) });
    const page = await fresh.launch(o.platform, { clientId: o.registration.clientId, deploymentId: o.registration.deploymentId, courseId: o.courseId, userId, roles: [ROLE.instructor] });
    // The same browser then opens the user's pages: only the launch's own requests are kept here.
    requestMs.push(...timings);
    return { browser: fresh, page };
  });
  const ms = performance.now() - started;
  const ltik = new URL(page.url).searchParams.get('ltik');
  if (page.status !== 200 || !ltik) throw new Error(`launch ended on HTTP ${page.status} at ${new URL(page.url).pathname}`);
  return { browser, ltik, ms };
}

/** Runs every user's journey for the duration; users arrive spread over the ramp so they do not click in step. */
export async function runUserJourneys(o: JourneyOptions): Promise<JourneyResult> {
  const result: JourneyResult = { users: [], launchMs: [], launchRequestMs: [], viewMs: [], steadyViewMs: [], errors: [] };
  const views: Array<{ startedAt: number; ms: number }> = [];
  let lastLaunchEnded = 0;
  let launchesLeft = o.users;
  const endAt = performance.now() + o.durationS * 1000;
  const pause = () => sleep(o.thinkS * 1000 * (0.5 + Math.random()));
  let nextLearner = 0;

  const journey = async (index: number) => {
    await sleep(Math.random() * o.rampS * 1000);
    let launched: Awaited<ReturnType<typeof launchOne>>;
    try {
      launched = await launchOne(o, index, result.launchRequestMs);
    } catch (err) {
      result.errors.push(`user ${index} launch: ${(err as Error).message}`);
      return;
    } finally {
      if (--launchesLeft === 0) lastLaunchEnded = performance.now();
    }
    result.launchMs.push(launched.ms);
    result.users.push({ ltik: launched.ltik, cookie: launched.browser.cookies(o.waymarkUrl).map((c) => `${c.name}=${c.value}`).join('; ') });
    for (let view = 1; ; view++) {
      await pause();
      if (performance.now() >= endAt) return;
      const path = view % 2 === 1 ? `/app/learners/${o.learnerIds[nextLearner++ % o.learnerIds.length]}` : '/app/module';
      const started = performance.now();
      try {
        const page = await launched.browser.get(`${o.waymarkUrl}${path}?ltik=${encodeURIComponent(launched.ltik)}`);
        if (page.status !== 200) result.errors.push(`user ${index} ${path.split('/')[2]}: HTTP ${page.status}`);
      } catch (err) {
        result.errors.push(`user ${index} ${path.split('/')[2]}: ${(err as Error).message}`);
      }
      views.push({ startedAt: started, ms: performance.now() - started });
    }
  };

  await Promise.all(Array.from({ length: o.users }, (_, i) => journey(i)));
  result.viewMs = views.map((v) => v.ms);
  result.steadyViewMs = views.filter((v) => v.startedAt >= lastLaunchEnded).map((v) => v.ms);
  return result;
}
