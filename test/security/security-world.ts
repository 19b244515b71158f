// The world the security tests attack: two Moodle sites, two modules on the first, a module on the second that
// uses the same course id, and one browser per person, each launched for real through the test platform.
import { TestBrowser, type BrowserPage } from '../platform';
import { startTestTool, type RunningTool } from '../support/test-tool';
import { registerManually, type Registration } from '../support/registered-platform';
import { ROLE } from '../support/lti-roles';
import { listPlatformProfiles } from '../../src/store/platform-repository';
import { PlatformProfileModel } from '../../src/store/models/platform-profile-model';
import { ModuleModel } from '../../src/store/models/module-model';
import { MemberModel } from '../../src/store/models/member-model';
import { EngagementEventModel } from '../../src/store/models/engagement-event-model';
import { AssignmentModel } from '../../src/store/models/assignment-model';
import { SubmissionModel } from '../../src/store/models/submission-model';
import { ModuleSettingsModel } from '../../src/store/models/module-settings-model';
import { AuditEntryModel } from '../../src/store/models/audit-entry-model';
import { DataReportModel } from '../../src/store/models/data-report-model';
import { ImportRunModel } from '../../src/store/models/import-run-model';
import { XapiCredentialModel } from '../../src/store/models/xapi-credential-model';
import { AlertModel } from '../../src/store/models/alert-model';
import { KnownCauseModel } from '../../src/store/models/known-cause-model';
import { InterventionModel } from '../../src/store/models/intervention-model';
import { DigestSubscriptionModel } from '../../src/store/models/digest-subscription-model';
import { DailyActivityModel } from '../../src/store/models/daily-activity-model';
import { decodeEntities } from '../platform/html-form-parser';
import { appUrl } from '../support/app-url';

export const ALPHA = { id: 'SEC101', title: 'Security Module Alpha' };
export const BETA = { id: 'SEC202', title: 'Security Module Beta' };
/** Site two's course has the same id as Alpha on site one. */
export const SITE_TWO_COURSE = { id: ALPHA.id, title: 'Sitetwo Statistics' };

/** Learners' names are unusual on purpose: a page that shows one can be caught by a plain text search. */
export const NAMES = {
  s1: 'Sidonie Selfridge',
  s2: 'Monty Otherton',
  s3: 'Ottilie Outerby',
  e1: 'Erasmus Erasable',
  s4: 'Beatrix Betaonly',
  twoS1: 'Quentin Sitetwo',
  twoE1: 'Eunice Twoerase',
} as const;

export const ALPHA_LEARNERS = [NAMES.s1, NAMES.s2, NAMES.s3, NAMES.e1];
export const BETA_ONLY = [NAMES.s4, BETA.title];
export const SITE_TWO_ONLY = [NAMES.twoS1, NAMES.twoE1, SITE_TWO_COURSE.title];

/** Someone who opened Waymark: their browser (with its cookies) and the launch token their pages carry. */
export interface Launched {
  browser: TestBrowser;
  ltik: string;
  landing: BrowserPage;
}

export type Site = 'one' | 'two';

export interface SecurityWorld {
  tool: RunningTool;
  one: Registration;
  two: Registration;
  /** Waymark's clock runs this far ahead of real time (negative: behind); ltijs keeps real time. */
  setClockOffset(ms: number): void;
  launch(site: Site, courseId: string, userId: string, roles: string[], extra?: { mentorScope?: string[] }): Promise<Launched>;
  /** GET a Waymark page with the person's token (none when ltik is undefined) and extra query parameters. */
  open(browser: TestBrowser, path: string, ltik: string | undefined, query?: Record<string, string>): Promise<BrowserPage>;
  /** POST a form (urlencoded fields or multipart) as the person's browser would. */
  post(browser: TestBrowser, path: string, ltik: string | undefined, body: Record<string, string> | FormData, query?: Record<string, string>): Promise<BrowserPage>;
  /**
   * A request a page's script (or an attacker's) could make but a form cannot: a JSON body or extra headers, sent
   * with the cookies the person's browser holds for Waymark. Redirects are not followed.
   */
  request(browser: TestBrowser, method: 'GET' | 'POST', path: string, ltik: string | undefined, init?: { json?: unknown; headers?: Record<string, string> }): Promise<BrowserPage>;
  moduleId(site: Site, courseId: string): Promise<string>;
  platformId(site: Site): Promise<string>;
  memberId(site: Site, courseId: string, userId: string): Promise<string>;
  close(): Promise<void>;
}

const registrationOf = (world: { one: Registration; two: Registration }, site: Site) => (site === 'one' ? world.one : world.two);

/**
 * Starts Waymark with site one (Alpha and Beta) and site two (a course with Alpha's id), rosters in place and
 * each module's staff launched once so the rosters are synced. Visa-compliance staff (v1) are named on site one.
 */
export async function startSecurityWorld(env: Record<string, string> = {}): Promise<SecurityWorld> {
  let clockOffsetMs = 0;
  const tool = await startTestTool({ SESSION_IDLE_MINUTES: '60', ...env }, () => new Date(Date.now() + clockOffsetMs));
  const one = await registerManually(tool);
  const two = await registerManually(tool);

  one.platform.addCourse(ALPHA);
  const alpha = (userId: string, name: string, roles: string[]) =>
    one.platform.addMember(ALPHA.id, { userId, name, email: `${userId}@alpha.example.ac.uk`, roles });
  alpha('t1', 'Tamsin Teachwell', ['Instructor']);
  alpha('v1', 'Viktor Visacheck', ['Instructor']);
  alpha('m1', 'Mina Mentorly', ['Mentor']);
  alpha('m2', 'Marek Mentorfar', ['Mentor']);
  alpha('d1', 'Dora Designwise', ['ContentDeveloper']);
  alpha('s1', NAMES.s1, ['Learner']);
  alpha('s2', NAMES.s2, ['Learner']);
  alpha('s3', NAMES.s3, ['Learner']);
  alpha('e1', NAMES.e1, ['Learner']);

  one.platform.addCourse(BETA);
  one.platform.addMember(BETA.id, { userId: 't2', name: 'Bertram Betateach', email: 't2@beta.example.ac.uk', roles: ['Instructor'] });
  one.platform.addMember(BETA.id, { userId: 's4', name: NAMES.s4, roles: ['Learner'] });

  // Same course id and same user ids on another site: different people, who must never meet.
  two.platform.addCourse(SITE_TWO_COURSE);
  two.platform.addMember(SITE_TWO_COURSE.id, { userId: 't1', name: 'Tobias Twositer', email: 't1@two.example.ac.uk', roles: ['Instructor'] });
  two.platform.addMember(SITE_TWO_COURSE.id, { userId: 's1', name: NAMES.twoS1, roles: ['Learner'] });
  two.platform.addMember(SITE_TWO_COURSE.id, { userId: 'e1', name: NAMES.twoE1, roles: ['Learner'] });

  const open: SecurityWorld['open'] = (browser, path, ltik, query = {}) => browser.get(appUrl(tool.baseUrl, path, ltik, query));
  const post: SecurityWorld['post'] = (browser, path, ltik, body, query = {}) => browser.post(appUrl(tool.baseUrl, path, ltik, query), body);

  const request: SecurityWorld['request'] = async (browser, method, path, ltik, init = {}) => {
    const url = appUrl(tool.baseUrl, path, ltik);
    const cookies = browser.cookies(new URL(tool.baseUrl).host).filter((c) => new URL(url).pathname.startsWith(c.path));
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...(cookies.length ? { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } : {}),
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
    return { status: res.status, url, html: await res.text(), headers: res.headers };
  };

  const launch: SecurityWorld['launch'] = async (site, courseId, userId, roles, extra = {}) => {
    const reg = registrationOf({ one, two }, site);
    const browser = new TestBrowser();
    const landing = await browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId, userId, roles, ...extra });
    const ltik = new URL(landing.url).searchParams.get('ltik');
    if (!ltik) throw new Error(`Launch of ${userId} in ${courseId} ended without a launch token at ${landing.url} (${landing.status})`);
    return { browser, ltik, landing };
  };

  const platformId = async (site: Site) => {
    const reg = registrationOf({ one, two }, site);
    const profile = (await listPlatformProfiles()).find((p) => p.issuer === reg.platform.issuer && p.clientId === reg.clientId);
    if (!profile) throw new Error(`Site ${site} is not registered`);
    return profile.platformId;
  };
  const moduleId = async (site: Site, courseId: string) => {
    const module = await ModuleModel.findOne({ platformId: await platformId(site), contextId: courseId }).lean();
    if (!module) throw new Error(`No module ${courseId} on site ${site}`);
    return String(module._id);
  };
  const memberId = async (site: Site, courseId: string, userId: string) => {
    const member = await MemberModel.findOne({ moduleId: await moduleId(site, courseId), userId }).lean();
    if (!member) throw new Error(`No member ${userId} in ${courseId} on site ${site}`);
    return String(member._id);
  };

  // Staff launches sync each roster, so every learner exists in Waymark before anyone attacks.
  await launch('one', ALPHA.id, 't1', [ROLE.instructor]);
  await launch('one', BETA.id, 't2', [ROLE.instructor]);
  await launch('two', SITE_TWO_COURSE.id, 't1', [ROLE.instructor]);
  // An administrator names visa-compliance staff per platform (no page sets it yet; the stored profile is what counts).
  await PlatformProfileModel.updateOne({ platformId: await platformId('one') }, { $set: { visaComplianceUserIds: ['v1'] } });

  return {
    tool,
    one,
    two,
    setClockOffset: (ms) => {
      clockOffsetMs = ms;
    },
    launch,
    open,
    post,
    request,
    moduleId,
    platformId,
    memberId,
    async close() {
      await one.platform.close();
      await two.platform.close();
      await tool.close();
    },
  };
}


/** The `_csrf` hidden field of the first form on a page that has one. */
export function csrfOn(page: BrowserPage): string | undefined {
  // A hidden field, or (on the upload form, whose body is multipart) the form action's query string.
  const raw = /name="_csrf" value="([^"]*)"/.exec(page.html)?.[1] ?? /[?&]_csrf(?:=|&#x3D;)([^"&]+)/.exec(page.html)?.[1];
  return raw ? decodeHtml(raw) : undefined;
}

/** What a browser reads from an attribute value (handlebars writes = as &#x3D;). */
export const decodeHtml = decodeEntities;

export function headingOf(page: BrowserPage): string {
  return decodeHtml(/<h1[^>]*>([^<]*)<\/h1>/.exec(page.html)?.[1] ?? '');
}

/**
 * The fields a form on the page would submit (inputs, checked boxes, textareas, selected options), found by the
 * start of its action's path.
 */
export function formFields(page: BrowserPage, actionPath: string): Record<string, string> {
  const forms = [...page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const form = forms.find((f) => {
    const action = /action="([^"]*)"/.exec(f[1] ?? '')?.[1];
    return action !== undefined && new URL(decodeHtml(action), page.url).pathname === actionPath;
  });
  if (!form) throw new Error(`No form posting to ${actionPath} on ${page.url} (${page.status})`);
  const inner = form[2] ?? '';
  const attr = (tag: string, name: string) => {
    const m = new RegExp(`\\s${name}(?:="([^"]*)")?`).exec(tag);
    return m ? decodeHtml(m[1] ?? '') : undefined;
  };
  const fields: Record<string, string> = {};
  for (const [tag] of inner.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(tag, 'name');
    const type = (attr(tag, 'type') ?? 'text').toLowerCase();
    if (!name || ['submit', 'button', 'file'].includes(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && attr(tag, 'checked') === undefined) continue;
    fields[name] = attr(tag, 'value') ?? 'on';
  }
  for (const m of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
    const name = attr(m[1] ?? '', 'name');
    if (name) fields[name] = decodeHtml(m[2] ?? '');
  }
  for (const m of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
    const name = attr(m[1] ?? '', 'name');
    const selected = /<option\b[^>]*value="([^"]*)"[^>]*\sselected/.exec(m[2] ?? '');
    if (name) fields[name] = decodeHtml(selected?.[1] ?? '');
  }
  return fields;
}

/**
 * Everything a state-changing request could touch, as text: members, events, alerts, records staff keep, keys,
 * imports, settings and the audit log. Launch sessions (touched by every request) and derived analysis are left out.
 */
export async function databaseFingerprint(): Promise<string> {
  const models = {
    platforms: PlatformProfileModel,
    modules: ModuleModel,
    members: MemberModel,
    events: EngagementEventModel,
    daily: DailyActivityModel,
    assignments: AssignmentModel,
    submissions: SubmissionModel,
    settings: ModuleSettingsModel,
    audit: AuditEntryModel,
    dataReports: DataReportModel,
    importRuns: ImportRunModel,
    xapiKeys: XapiCredentialModel,
    alerts: AlertModel,
    knownCauses: KnownCauseModel,
    interventions: InterventionModel,
    digests: DigestSubscriptionModel,
  } as const;
  // Read side by side: the collections are independent and the matrix takes a fingerprint twice per refusal.
  const parts = await Promise.all(
    Object.entries(models).map(async ([name, model]) => {
      const docs = await (model as unknown as { find(q: object): { sort(s: object): { lean(): Promise<unknown[]> } } }).find({}).sort({ _id: 1 }).lean();
      return `${name}:${JSON.stringify(docs)}`;
    }),
  );
  return parts.join('\n');
}

/** Which part of the fingerprint differs, for a readable failure. */
export function fingerprintDifference(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  return a.flatMap((line, i) => (line === b[i] ? [] : [line.slice(0, line.indexOf(':'))]));
}
