// Every route under /app tried by every kind of person, each launched for real: who may, who may not, and
// that a refused request changes nothing. Ids of other modules and of another site are tried in URLs, query
// strings and form bodies.
import { Types } from 'mongoose';
import { TestBrowser, type BrowserPage } from '../platform';
import { ROLE } from '../support/lti-roles';
import { moodleLogCsv } from '../support/moodle-log-builder';
import {
  ALPHA,
  ALPHA_LEARNERS,
  BETA,
  BETA_ONLY,
  NAMES,
  SITE_TWO_COURSE,
  SITE_TWO_ONLY,
  csrfOn,
  databaseFingerprint,
  fingerprintDifference,
  formFields,
  headingOf,
  startSecurityWorld,
  type Launched,
  type SecurityWorld,
} from './security-world';
import { openAlerts } from '../../src/store/alert-repository';
import { addKnownCause, listKnownCauses } from '../../src/store/known-cause-repository';
import { createDataReport, listDataReports } from '../../src/store/data-report-repository';
import { upsertAssignment } from '../../src/store/assignment-repository';
import { finishImportRun, startImportRun } from '../../src/store/import-run-repository';
import { issueXapiCredential } from '../../src/ingest/xapi-credential-issuer';
import { listInterventions } from '../../src/store/intervention-repository';
import { setMemberSponsoredVisa } from '../../src/store/member-flags-repository';
import { AlertModel } from '../../src/store/models/alert-model';
import { MemberModel } from '../../src/store/models/member-model';
import { ModuleSettingsModel } from '../../src/store/models/module-settings-model';

const PERSONAS = [
  'student',
  'otherStudent',
  'staff',
  'otherModuleStaff',
  'mentorInScope',
  'mentorOutOfScope',
  'designer',
  'admin',
  'visaStaff',
  'noSession',
  'expiredSession',
] as const;
type Persona = (typeof PERSONAS)[number];

const LABEL: Record<Persona, string> = {
  student: 'a student (Sidonie, the learner the URLs name)',
  otherStudent: 'another student',
  staff: 'staff of this module',
  otherModuleStaff: 'staff of another module',
  mentorInScope: 'a mentor with the learner in scope',
  mentorOutOfScope: 'a mentor without the learner in scope',
  designer: 'a designer',
  admin: 'an administrator',
  visaStaff: 'visa-compliance staff',
  noSession: 'someone with no session',
  expiredSession: 'staff whose session expired',
};

/** Names each person must never be shown, whatever they open. */
const MUST_NOT_SEE: Record<Persona, readonly string[]> = {
  student: [NAMES.s2, NAMES.s3, NAMES.e1, ...BETA_ONLY, ...SITE_TWO_ONLY],
  otherStudent: [NAMES.s1, NAMES.s3, NAMES.e1, ...BETA_ONLY, ...SITE_TWO_ONLY],
  staff: [...BETA_ONLY, ...SITE_TWO_ONLY],
  otherModuleStaff: [...ALPHA_LEARNERS, ALPHA.title, ...SITE_TWO_ONLY],
  mentorInScope: [NAMES.s2, NAMES.s3, NAMES.e1, ...BETA_ONLY, ...SITE_TWO_ONLY],
  mentorOutOfScope: [NAMES.s1, NAMES.s3, NAMES.e1, ...BETA_ONLY, ...SITE_TWO_ONLY],
  designer: [...ALPHA_LEARNERS, ...BETA_ONLY, ...SITE_TWO_ONLY],
  // Administrators may export a person's data (the subject access request), but never another site's.
  admin: [...SITE_TWO_ONLY],
  visaStaff: [...BETA_ONLY, ...SITE_TWO_ONLY],
  noSession: [...ALPHA_LEARNERS, ...BETA_ONLY, ...SITE_TWO_ONLY],
  expiredSession: [...ALPHA_LEARNERS, ...BETA_ONLY, ...SITE_TWO_ONLY],
};

type Expect = 'allowed' | 400 | 401 | 403 | 404;

/** Who is let through; everyone else with a session is refused with 403 and those without one with 401. */
function outcomes(allowed: readonly Persona[], exceptions: Partial<Record<Persona, Expect>> = {}): Record<Persona, Expect> {
  const table = {} as Record<Persona, Expect>;
  for (const p of PERSONAS) table[p] = p === 'noSession' || p === 'expiredSession' ? 401 : allowed.includes(p) ? 'allowed' : 403;
  return { ...table, ...exceptions };
}

const STAFF_LIKE: Persona[] = ['staff', 'visaStaff'];
const MODULE_VIEWERS: Persona[] = ['staff', 'visaStaff', 'mentorInScope', 'mentorOutOfScope', 'otherModuleStaff'];
const STUDENTS: Persona[] = ['student', 'otherStudent'];

/** Ids the routes are tried with, found once the world exists. */
interface Ids {
  alphaModule: string;
  betaModule: string;
  siteTwoModule: string;
  s1: string;
  s2: string;
  s4: string;
  twoS1: string;
  causeOfS2: string;
  reportOfS1: string;
  reportOfS2: string;
  reportOfTwoS1: string;
  runAlpha: string;
  runBeta: string;
  assignmentAlpha: string;
  assignmentBeta: string;
  keyAlpha: string;
  keySiteTwo: string;
  alertSiteTwo: string;
  settingsForm: Record<string, string>;
}

/** Per-request ids a row makes fresh (an alert to acknowledge, a cause to remove). */
type Fresh = Record<string, string>;

interface Row {
  method: 'GET' | 'POST';
  route: string;
  path(ids: Ids, fresh: Fresh): string;
  query?(ids: Ids): Record<string, string>;
  body?(ids: Ids): Record<string, string> | FormData;
  prepare?(ids: Ids): Promise<Fresh>;
  expect: Record<Persona, Expect>;
}

let seq = 0;
async function freshAlert(moduleId: string, memberId: string, audience: 'staff' | 'visa-compliance'): Promise<Fresh> {
  seq += 1;
  const key = `matrix-${seq}`;
  await openAlerts(moduleId, [{ memberId, rule: 'noEngagement', audience, key, since: '2026-01-05', evidence: { text: 'No activity for 15 teaching days.', figures: {} } }], new Date());
  const doc = await AlertModel.findOne({ moduleId: new Types.ObjectId(moduleId), key }).lean();
  return { alertId: String(doc?._id) };
}

/** Sidonie (site one) and site two's learner marked sponsored-visa, for the platform-wide visa overview. */
async function flagSponsoredVisa(ids: Ids): Promise<Fresh> {
  await setMemberSponsoredVisa(ids.alphaModule, ids.s1, true);
  await setMemberSponsoredVisa(ids.siteTwoModule, ids.twoS1, true);
  return {};
}

/** A finished import run to undo: each allowed person undoes their own, so none finds it already undone. */
async function freshImportRun(moduleId: string): Promise<Fresh> {
  const started = await startImportRun({ moduleId, format: 'moodle-course-log', source: 'vle', filename: 'mistake.csv', byUserId: 't1', byName: 'Staff', via: 'upload', at: new Date() });
  await finishImportRun(started.id, { at: new Date(), counts: { rows: 0, imported: 0, alreadyStored: 0, skipped: 0, unmatched: 0, failed: 0 }, problems: [], notes: [], droppedColumns: [], error: null, raisedTotals: 0 });
  return { runId: started.id };
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function importUpload(): FormData {
  const form = new FormData();
  form.append('format', 'moodle-course-log');
  form.append('dayMonthOrder', 'dmy');
  const log = moodleLogCsv([{ at: new Date('2026-01-12T10:00:00Z'), userId: 's3', fullName: 'Anon Logrow' }]);
  form.append('file', new Blob([log]), 'log.csv');
  return form;
}

const ROWS: Row[] = [
  // After a launch each person is sent to their own page; without a live session, to the relaunch page.
  { method: 'GET', route: '/app/landing', path: () => '/app/landing', expect: outcomes(PERSONAS.filter((p) => p !== 'noSession' && p !== 'expiredSession')) },

  // Module pages.
  { method: 'GET', route: '/app/module', path: () => '/app/module', expect: outcomes(MODULE_VIEWERS) },
  { method: 'GET', route: '/app/module?moduleId=<Alpha> (another module’s id in the query)', path: () => '/app/module', query: (ids) => ({ moduleId: ids.alphaModule, contextId: ALPHA.id, module: ids.alphaModule }), expect: outcomes(MODULE_VIEWERS) },
  { method: 'GET', route: '/app/module/learners.csv', path: () => '/app/module/learners.csv', expect: outcomes(MODULE_VIEWERS) },
  { method: 'GET', route: '/app/module/learners.csv?moduleId=<Alpha>', path: () => '/app/module/learners.csv', query: (ids) => ({ moduleId: ids.alphaModule }), expect: outcomes(MODULE_VIEWERS) },
  { method: 'GET', route: '/app/module/alerts', path: () => '/app/module/alerts', expect: outcomes(MODULE_VIEWERS) },
  { method: 'GET', route: '/app/overview', path: () => '/app/overview', expect: outcomes(['staff', 'visaStaff', 'otherModuleStaff', 'designer', 'admin']) },
  {
    method: 'GET',
    route: '/app/visa?module=<site two’s module> (a learner of each site marked sponsored-visa)',
    path: () => '/app/visa',
    query: (ids) => ({ module: ids.siteTwoModule, moduleId: ids.siteTwoModule }),
    prepare: flagSponsoredVisa,
    // Only the people an administrator named, whatever their role in the course; never site two's learner.
    expect: outcomes(['visaStaff']),
  },

  // A learner's page: Sidonie's own module, another module's learner, and the same user id on another site.
  {
    method: 'GET',
    route: '/app/learners/:memberId',
    path: (ids) => `/app/learners/${ids.s1}`,
    expect: outcomes(['staff', 'visaStaff', 'mentorInScope'], { mentorOutOfScope: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'GET',
    route: '/app/learners/:memberId (a learner of module Beta)',
    path: (ids) => `/app/learners/${ids.s4}`,
    expect: outcomes(['otherModuleStaff'], { staff: 404, visaStaff: 404, mentorInScope: 404, mentorOutOfScope: 404 }),
  },
  {
    method: 'GET',
    route: '/app/learners/:memberId (a learner of site two’s module with the same course id)',
    path: (ids) => `/app/learners/${ids.twoS1}`,
    expect: outcomes([], { staff: 404, visaStaff: 404, mentorInScope: 404, mentorOutOfScope: 404, otherModuleStaff: 404 }),
  },

  // What staff record about a learner.
  {
    method: 'POST',
    route: '/app/module/alerts/:alertId',
    prepare: async (ids) => freshAlert(ids.alphaModule, ids.s1, 'staff'),
    path: (_ids, f) => `/app/module/alerts/${f.alertId}`,
    body: () => ({ action: 'acknowledge' }),
    expect: outcomes(['staff', 'visaStaff', 'mentorInScope'], { mentorOutOfScope: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/module/alerts/:alertId (a sponsored-visa alert)',
    prepare: async (ids) => freshAlert(ids.alphaModule, ids.s1, 'visa-compliance'),
    path: (_ids, f) => `/app/module/alerts/${f.alertId}`,
    body: () => ({ action: 'acknowledge' }),
    expect: outcomes(['visaStaff'], { staff: 404, mentorInScope: 404, mentorOutOfScope: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/module/alerts/:alertId (an alert of site two)',
    path: (ids) => `/app/module/alerts/${ids.alertSiteTwo}`,
    body: () => ({ action: 'acknowledge' }),
    expect: outcomes([], { staff: 404, visaStaff: 404, mentorInScope: 404, mentorOutOfScope: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/interventions',
    path: (ids) => `/app/learners/${ids.s1}/interventions`,
    body: () => ({ method: 'email', contactedOn: daysAgo(2), note: 'Checked in about the last two weeks.', outcome: '', followUpOn: '' }),
    expect: outcomes(['staff', 'visaStaff', 'mentorInScope'], { mentorOutOfScope: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/interventions (a learner of site two)',
    path: (ids) => `/app/learners/${ids.twoS1}/interventions`,
    body: () => ({ method: 'email', contactedOn: daysAgo(2), note: 'Checked in.', outcome: '', followUpOn: '' }),
    expect: outcomes([], { staff: 404, visaStaff: 404, mentorInScope: 404, mentorOutOfScope: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/known-causes',
    path: (ids) => `/app/learners/${ids.s1}/known-causes`,
    body: () => ({ from: '2026-01-05', to: '2026-01-09', reason: 'Authorised absence' }),
    expect: outcomes(STAFF_LIKE, { otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/known-causes/:causeId/remove',
    prepare: async (ids) => {
      const cause = await addKnownCause({ moduleId: ids.alphaModule, memberId: ids.s1, from: '2026-02-02', to: '2026-02-06', reason: 'Placement', createdByUserId: 't1', createdByName: 'Tamsin Teachwell' });
      return { causeId: cause.id };
    },
    path: (ids, f) => `/app/learners/${ids.s1}/known-causes/${f.causeId}/remove`,
    expect: outcomes(STAFF_LIKE, { otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/known-causes/:causeId/remove (another learner’s cause under this learner’s URL)',
    path: (ids) => `/app/learners/${ids.s1}/known-causes/${ids.causeOfS2}/remove`,
    expect: outcomes([], { staff: 404, visaStaff: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/data-reports/:reportId',
    path: (ids) => `/app/learners/${ids.s1}/data-reports/${ids.reportOfS1}`,
    body: () => ({ status: 'seen', staffNote: 'Looking into it.' }),
    expect: outcomes(STAFF_LIKE, { otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/data-reports/:reportId (another learner’s report under this learner’s URL)',
    path: (ids) => `/app/learners/${ids.s1}/data-reports/${ids.reportOfS2}`,
    body: () => ({ status: 'resolved', staffNote: '' }),
    expect: outcomes([], { staff: 404, visaStaff: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/data-reports/:reportId (a report of site two)',
    path: (ids) => `/app/learners/${ids.twoS1}/data-reports/${ids.reportOfTwoS1}`,
    body: () => ({ status: 'resolved', staffNote: '' }),
    expect: outcomes([], { staff: 404, visaStaff: 404, otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/not-learner',
    path: (ids) => `/app/learners/${ids.s1}/not-learner`,
    body: () => ({ value: 'no' }),
    expect: outcomes(STAFF_LIKE, { otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/learners/:memberId/sponsored-visa',
    path: (ids) => `/app/learners/${ids.s1}/sponsored-visa`,
    body: () => ({ value: 'no' }),
    // Only the people an administrator named; module staff and mentors are refused outright.
    expect: outcomes(['visaStaff']),
  },

  // Module settings, digest, xAPI keys, imports and due dates.
  { method: 'GET', route: '/app/module/settings', path: () => '/app/module/settings', expect: outcomes(['staff', 'visaStaff', 'otherModuleStaff', 'designer']) },
  {
    method: 'POST',
    route: '/app/module/settings',
    path: () => '/app/module/settings',
    body: (ids) => ids.settingsForm,
    expect: outcomes(['staff', 'visaStaff', 'otherModuleStaff', 'designer']),
  },
  { method: 'POST', route: '/app/module/digest', path: () => '/app/module/digest', body: () => ({ subscribe: 'no' }), expect: outcomes(['staff', 'visaStaff', 'otherModuleStaff']) },
  { method: 'GET', route: '/app/module/xapi', path: () => '/app/module/xapi', expect: outcomes(['staff', 'visaStaff', 'otherModuleStaff']) },
  { method: 'POST', route: '/app/module/xapi', path: () => '/app/module/xapi', body: () => ({ label: 'Moodle logstore', scope: 'module' }), expect: outcomes(['staff', 'visaStaff', 'otherModuleStaff']) },
  {
    method: 'POST',
    route: '/app/module/xapi (scope=platform in the body, a key for every course of the site)',
    path: () => '/app/module/xapi',
    body: () => ({ label: 'Whole site', scope: 'platform' }),
    expect: outcomes([]),
  },
  {
    method: 'POST',
    route: '/app/module/xapi/:keyId/revoke',
    path: (ids) => `/app/module/xapi/${ids.keyAlpha}/revoke`,
    expect: outcomes(STAFF_LIKE, { otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/module/xapi/:keyId/revoke (a key of site two)',
    path: (ids) => `/app/module/xapi/${ids.keySiteTwo}/revoke`,
    expect: outcomes([], { staff: 404, visaStaff: 404, otherModuleStaff: 404 }),
  },
  { method: 'GET', route: '/app/module/import', path: () => '/app/module/import', expect: outcomes(['staff', 'visaStaff', 'otherModuleStaff']) },
  { method: 'POST', route: '/app/module/import', path: () => '/app/module/import', body: importUpload, expect: outcomes(['staff', 'visaStaff', 'otherModuleStaff']) },
  {
    method: 'GET',
    route: '/app/module/import/runs/:runId',
    path: (ids) => `/app/module/import/runs/${ids.runAlpha}`,
    expect: outcomes(STAFF_LIKE, { otherModuleStaff: 404 }),
  },
  {
    method: 'GET',
    route: '/app/module/import/runs/:runId (a run of module Beta)',
    path: (ids) => `/app/module/import/runs/${ids.runBeta}`,
    expect: outcomes(['otherModuleStaff'], { staff: 404, visaStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/module/import/runs/:runId/undo',
    prepare: async (ids) => freshImportRun(ids.alphaModule),
    path: (_ids, f) => `/app/module/import/runs/${f.runId}/undo`,
    expect: outcomes(STAFF_LIKE, { otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/module/import/runs/:runId/undo (a run of module Beta)',
    prepare: async (ids) => freshImportRun(ids.betaModule),
    path: (_ids, f) => `/app/module/import/runs/${f.runId}/undo`,
    expect: outcomes(['otherModuleStaff'], { staff: 404, visaStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/module/assignments/:assignmentId/due-date',
    path: (ids) => `/app/module/assignments/${ids.assignmentAlpha}/due-date`,
    body: () => ({ due: '2026-03-15T17:00' }),
    expect: outcomes(STAFF_LIKE, { otherModuleStaff: 404 }),
  },
  {
    method: 'POST',
    route: '/app/module/assignments/:assignmentId/due-date (an assignment of module Beta)',
    path: (ids) => `/app/module/assignments/${ids.assignmentBeta}/due-date`,
    body: () => ({ due: '2026-03-15T17:00' }),
    expect: outcomes(['otherModuleStaff'], { staff: 404, visaStaff: 404 }),
  },

  // Administration.
  { method: 'GET', route: '/app/admin/audit', path: () => '/app/admin/audit', expect: outcomes(['admin']) },
  { method: 'GET', route: '/app/admin/audit.csv', path: () => '/app/admin/audit.csv', expect: outcomes(['admin']) },
  {
    method: 'GET',
    route: '/app/admin/audit?module=<site two’s module>',
    path: () => '/app/admin/audit',
    query: (ids) => ({ module: ids.siteTwoModule }),
    expect: outcomes([], { admin: 400 }),
  },
  { method: 'GET', route: '/app/admin/data-rights?user=s1', path: () => '/app/admin/data-rights', query: () => ({ user: 's1' }), expect: outcomes(['admin']) },
  {
    method: 'GET',
    route: '/app/admin/data-rights/export.json?user=s1&platformId=<site two>',
    path: () => '/app/admin/data-rights/export.json',
    query: () => ({ user: 's1', platformId: 'site-two', issuer: 'site-two' }),
    expect: outcomes(['admin']),
  },
  { method: 'GET', route: '/app/admin/data-rights/export.pdf?user=s1', path: () => '/app/admin/data-rights/export.pdf', query: () => ({ user: 's1' }), expect: outcomes(['admin']) },
  {
    method: 'POST',
    route: '/app/admin/data-rights/erase (user s3)',
    path: () => '/app/admin/data-rights/erase',
    body: () => ({ user: 's3', confirm: 's3' }),
    expect: outcomes(['admin']),
  },
  { method: 'GET', route: '/app/admin/visa-staff', path: () => '/app/admin/visa-staff', expect: outcomes(['admin']) },
  { method: 'POST', route: '/app/admin/visa-staff (name v9)', path: () => '/app/admin/visa-staff', body: () => ({ user: 'v9' }), expect: outcomes(['admin']) },
  { method: 'POST', route: '/app/admin/visa-staff/remove (v9)', path: () => '/app/admin/visa-staff/remove', body: () => ({ user: 'v9' }), expect: outcomes(['admin']) },

  // The student panel: no id in the URL, and ids added to it are ignored.
  { method: 'GET', route: '/app/me', path: () => '/app/me', expect: outcomes(STUDENTS) },
  {
    method: 'GET',
    route: '/app/me?memberId=<Sidonie>&userId=s1',
    path: () => '/app/me',
    query: (ids) => ({ memberId: ids.s1, userId: 's1', user: 's1' }),
    expect: outcomes(STUDENTS),
  },
  { method: 'GET', route: '/app/me/export.json', path: () => '/app/me/export.json', query: (ids) => ({ memberId: ids.s1, userId: 's1' }), expect: outcomes(STUDENTS) },
  { method: 'GET', route: '/app/me/export.csv', path: () => '/app/me/export.csv', expect: outcomes(STUDENTS) },
  { method: 'GET', route: '/app/me/export.pdf', path: () => '/app/me/export.pdf', expect: outcomes(STUDENTS) },
  {
    method: 'POST',
    route: '/app/me/data-reports',
    path: () => '/app/me/data-reports',
    body: () => ({ source: 'vle', text: 'Monday’s lecture attendance is missing.' }),
    expect: outcomes(STUDENTS),
  },
];

/** What someone without a live session is told instead: open Waymark from Moodle (again). */
const RELAUNCH_HEADING: Partial<Record<Persona, string>> = {
  noSession: 'Open Waymark from your Moodle course',
  expiredSession: 'Your Waymark session has ended',
};

describe('authorisation matrix: every /app route by every kind of person', () => {
  let world: SecurityWorld;
  let ids: Ids;
  const people = {} as Record<Persona, { launched?: Launched; browser: TestBrowser; csrf?: string }>;

  /** The person's own token, from the first of their pages that carries a form. */
  async function tokenOf(launched: Launched, pages: string[]): Promise<string> {
    const found = csrfOn(launched.landing);
    if (found) return found;
    for (const path of pages) {
      const token = csrfOn(await world.open(launched.browser, path, launched.ltik));
      if (token) return token;
    }
    throw new Error(`No page of ${launched.landing.url} offered a form token`);
  }

  beforeAll(async () => {
    world = await startSecurityWorld();
    const alphaModule = await world.moduleId('one', ALPHA.id);
    const betaModule = await world.moduleId('one', BETA.id);
    const siteTwoModule = await world.moduleId('two', SITE_TWO_COURSE.id);
    const s1 = await world.memberId('one', ALPHA.id, 's1');
    const s2 = await world.memberId('one', ALPHA.id, 's2');
    const twoS1 = await world.memberId('two', SITE_TWO_COURSE.id, 's1');

    const launch = (userId: string, roles: string[], extra: { mentorScope?: string[] } = {}, course = ALPHA.id) => world.launch('one', course, userId, roles, extra);
    const student = await launch('s1', [ROLE.learner]);
    const otherStudent = await launch('s2', [ROLE.learner]);
    const staff = await launch('t1', [ROLE.instructor]);
    const otherModuleStaff = await launch('t2', [ROLE.instructor], {}, BETA.id);
    const mentorInScope = await launch('m1', [ROLE.mentor], { mentorScope: ['s1'] });
    const mentorOutOfScope = await launch('m2', [ROLE.mentor], { mentorScope: ['s2'] });
    const designer = await launch('d1', [ROLE.contentDeveloper]);
    const admin = await launch('a1', [ROLE.institutionAdmin]);
    const visaStaff = await launch('v1', [ROLE.instructor]);
    const launchedNow: Array<[Persona, Launched, string[]]> = [
      ['student', student, ['/app/me']],
      ['otherStudent', otherStudent, ['/app/me']],
      ['staff', staff, ['/app/module/settings']],
      ['otherModuleStaff', otherModuleStaff, ['/app/module/settings']],
      ['mentorInScope', mentorInScope, [`/app/learners/${s1}`]],
      ['mentorOutOfScope', mentorOutOfScope, [`/app/learners/${s2}`]],
      ['designer', designer, ['/app/module/settings']],
      ['admin', admin, ['/app/admin/data-rights?user=s3']],
      ['visaStaff', visaStaff, ['/app/module/settings']],
    ];
    for (const [persona, launched, pages] of launchedNow) {
      people[persona] = { launched, browser: launched.browser, csrf: await tokenOf(launched, pages) };
    }
    people.noSession = { browser: new TestBrowser() };

    // A staff session last used an hour and a minute ago (the idle limit is an hour): Waymark's clock is turned
    // back for the launch, and its token is taken while it is still valid.
    world.setClockOffset(-61 * 60_000);
    try {
      const expired = await launch('t1', [ROLE.instructor]);
      people.expiredSession = { launched: expired, browser: expired.browser, csrf: await tokenOf(expired, ['/app/module/settings']) };
    } finally {
      world.setClockOffset(0);
    }

    const settingsPage = await world.open(staff.browser, '/app/module/settings', staff.ltik);
    const { _csrf: _ignored, ...settingsForm } = formFields(settingsPage, '/app/module/settings');

    const causeOfS2 = await addKnownCause({ moduleId: alphaModule, memberId: s2, from: '2026-01-05', to: '2026-01-09', reason: 'Illness', createdByUserId: 't1', createdByName: 'Tamsin Teachwell' });
    const reportOfS1 = await createDataReport({ moduleId: alphaModule, memberId: s1, source: 'vle', text: 'My Tuesday visit is missing.' });
    const reportOfS2 = await createDataReport({ moduleId: alphaModule, memberId: s2, source: 'vle', text: 'Week 2 looks wrong.' });
    const reportOfTwoS1 = await createDataReport({ moduleId: siteTwoModule, memberId: twoS1, source: 'vle', text: 'Site two report.' });
    const run = async (moduleId: string) => {
      const started = await startImportRun({ moduleId, format: 'moodle-course-log', source: 'vle', filename: 'logs.csv', byUserId: 't1', byName: 'Staff', via: 'upload', at: new Date() });
      await finishImportRun(started.id, { at: new Date(), counts: { rows: 0, imported: 0, alreadyStored: 0, skipped: 0, unmatched: 0, failed: 0 }, problems: [], notes: [], droppedColumns: [], error: null });
      return started.id;
    };
    const assignment = async (moduleId: string) => (await upsertAssignment({ moduleId, key: 'file:essay', title: 'Essay', dueAt: null, origin: 'file' })).id;
    const key = async (site: 'one' | 'two', moduleId: string) =>
      (await issueXapiCredential({ scope: 'module', platformId: await world.platformId(site), moduleId, label: 'Logstore', by: { userId: 't1', name: 'Staff' }, at: new Date() })).credential.keyId;

    ids = {
      alphaModule,
      betaModule,
      siteTwoModule,
      s1,
      s2,
      s4: await world.memberId('one', BETA.id, 's4'),
      twoS1,
      causeOfS2: causeOfS2.id,
      reportOfS1: reportOfS1.id,
      reportOfS2: reportOfS2.id,
      reportOfTwoS1: reportOfTwoS1.id,
      runAlpha: await run(alphaModule),
      runBeta: await run(betaModule),
      assignmentAlpha: await assignment(alphaModule),
      assignmentBeta: await assignment(betaModule),
      keyAlpha: await key('one', alphaModule),
      keySiteTwo: await key('two', siteTwoModule),
      alertSiteTwo: (await freshAlert(siteTwoModule, twoS1, 'staff')).alertId ?? '',
      settingsForm,
    };
  });

  afterAll(async () => {
    await world.close();
  });

  function send(row: Row, persona: Persona, fresh: Fresh): Promise<BrowserPage> {
    const person = people[persona];
    const ltik = person.launched?.ltik;
    const path = row.path(ids, fresh);
    const query = row.query?.(ids) ?? {};
    if (row.method === 'GET') return world.open(person.browser, path, ltik, query);
    const body = row.body?.(ids) ?? {};
    // The person's own valid token, so that what is tested is the authorisation and not the CSRF check.
    const token = person.csrf;
    if (body instanceof FormData) return world.post(person.browser, path, ltik, body, token ? { ...query, _csrf: token } : query);
    return world.post(person.browser, path, ltik, token ? { ...body, _csrf: token } : body, query);
  }

  for (const row of ROWS) {
    describe(`${row.method} ${row.route}`, () => {
      for (const persona of PERSONAS) {
        const expected = row.expect[persona];
        const outcome = expected === 'allowed' ? 'allowed' : `refused (${expected})`;
        it(`when ${LABEL[persona]} ${row.method} ${row.route}, then ${outcome}`, async () => {
          const fresh = row.prepare ? await row.prepare(ids) : {};
          const before = row.method === 'POST' ? await databaseFingerprint() : '';
          const page = await send(row, persona, fresh);

          if (expected === 'allowed') {
            expect({ status: page.status, ok: page.status >= 200 && page.status < 300 }).toEqual({ status: page.status, ok: true });
            // Every change a person is allowed to make is at least written to the audit log.
            if (row.method === 'POST') expect(await databaseFingerprint()).not.toBe(before);
          } else {
            expect({ status: page.status, heading: headingOf(page) }).toEqual({ status: expected, heading: expect.any(String) });
            // A refusal for the role, not the form token: each person sent their own valid token.
            expect(page.html).not.toContain('This form has expired');
            if (expected === 401) expect(headingOf(page)).toBe(RELAUNCH_HEADING[persona]);
            if (row.method === 'POST') expect(fingerprintDifference(before, await databaseFingerprint())).toEqual([]);
          }
          for (const name of MUST_NOT_SEE[persona]) expect({ name, shown: page.html.includes(name) }).toEqual({ name, shown: false });
        });
      }
    });
  }

  describe('ids changed in form bodies', () => {
    it('when a student posts a data report naming another member and another module in the body, then it is stored against their own membership', async () => {
      const student = people.student;
      const before = (await listDataReports(ids.betaModule, ids.s4)).length + (await listDataReports(ids.alphaModule, ids.s2)).length;
      const ownBefore = (await listDataReports(ids.alphaModule, ids.s1)).length;
      const page = await world.post(student.browser, '/app/me/data-reports', student.launched?.ltik, {
        _csrf: student.csrf!,
        source: 'vle',
        text: 'A report with tampered ids.',
        memberId: ids.s2,
        moduleId: ids.betaModule,
        userId: 's2',
      });
      expect(page.status).toBe(200);
      expect((await listDataReports(ids.alphaModule, ids.s1)).length).toBe(ownBefore + 1);
      expect((await listDataReports(ids.betaModule, ids.s4)).length + (await listDataReports(ids.alphaModule, ids.s2)).length).toBe(before);
    });

    it('when staff post an intervention with another learner’s and another module’s ids in the body, then it is recorded for the learner in the URL only', async () => {
      const staff = people.staff;
      const s2Before = (await listInterventions(ids.alphaModule, ids.s2)).length;
      const s1Before = (await listInterventions(ids.alphaModule, ids.s1)).length;
      const page = await world.post(staff.browser, `/app/learners/${ids.s1}/interventions`, staff.launched?.ltik, {
        _csrf: staff.csrf!,
        method: 'phone',
        contactedOn: daysAgo(1),
        note: 'Spoke on the phone.',
        memberId: ids.s2,
        moduleId: ids.betaModule,
      });
      expect(page.status).toBe(200);
      expect((await listInterventions(ids.alphaModule, ids.s1)).length).toBe(s1Before + 1);
      expect((await listInterventions(ids.alphaModule, ids.s2)).length).toBe(s2Before);
      expect(await listInterventions(ids.betaModule, ids.s2)).toEqual([]);
    });

    it('when staff of module Beta post settings naming module Alpha in the body, then only Beta’s settings change', async () => {
      const alphaBefore = JSON.stringify(await ModuleSettingsModel.findOne({ moduleId: new Types.ObjectId(ids.alphaModule) }).lean());
      const beta = people.otherModuleStaff;
      const page = await world.post(beta.browser, '/app/module/settings', beta.launched?.ltik, {
        ...ids.settingsForm,
        _csrf: beta.csrf!,
        contactText: 'Beta office hours',
        moduleId: ids.alphaModule,
        contextId: ALPHA.id,
      });
      expect(page.status).toBe(200);
      expect(JSON.stringify(await ModuleSettingsModel.findOne({ moduleId: new Types.ObjectId(ids.alphaModule) }).lean())).toBe(alphaBefore);
      const betaSettings = await ModuleSettingsModel.findOne({ moduleId: new Types.ObjectId(ids.betaModule) }).lean();
      expect(JSON.stringify(betaSettings)).toContain('Beta office hours');
    });

    it('when staff remove a known cause of another learner under this learner’s URL, then the cause stays', async () => {
      const staff = people.staff;
      const page = await world.post(staff.browser, `/app/learners/${ids.s1}/known-causes/${ids.causeOfS2}/remove`, staff.launched?.ltik, { _csrf: staff.csrf! });
      expect(page.status).toBe(404);
      expect((await listKnownCauses(ids.alphaModule, ids.s2)).map((c) => c.id)).toContain(ids.causeOfS2);
    });
  });

  describe('two sites using the same course id', () => {
    it('when an administrator of site one erases a user id that site two also has, then only site one’s person is erased', async () => {
      const admin = people.admin;
      const e1In = (moduleId: string) => MemberModel.countDocuments({ moduleId: new Types.ObjectId(moduleId), userId: 'e1' });
      expect([await e1In(ids.alphaModule), await e1In(ids.siteTwoModule)]).toEqual([1, 1]);
      const page = await world.post(admin.browser, '/app/admin/data-rights/erase', admin.launched?.ltik, { _csrf: admin.csrf!, user: 'e1', confirm: 'e1' });
      expect(page.status).toBe(200);
      expect([await e1In(ids.alphaModule), await e1In(ids.siteTwoModule)]).toEqual([0, 1]);
    });

    it('when an administrator of site one exports a user id that site two also has, then the export holds only site one’s person', async () => {
      const admin = people.admin;
      const page = await world.open(admin.browser, '/app/admin/data-rights/export.json', admin.launched?.ltik, { user: 's1' });
      expect(page.status).toBe(200);
      expect(page.html).toContain(NAMES.s1);
      expect(page.html).not.toContain(NAMES.twoS1);
      expect(page.html).not.toContain(SITE_TWO_COURSE.title);
    });

    it('when staff of each site open their module, then each sees only their own learners', async () => {
      const siteTwoStaff = await world.launch('two', SITE_TWO_COURSE.id, 't1', [ROLE.instructor]);
      expect(siteTwoStaff.landing.html).toContain(NAMES.twoS1);
      for (const name of [...ALPHA_LEARNERS, ALPHA.title]) expect(siteTwoStaff.landing.html).not.toContain(name);
      const siteOne = await world.open(people.staff.browser, '/app/module', people.staff.launched?.ltik);
      expect(siteOne.html).toContain(NAMES.s1);
      for (const name of SITE_TWO_ONLY) expect(siteOne.html).not.toContain(name);
    });
  });
});
