// Cross-site request forgery: every state-changing POST under /app and /admin needs the form token of the very
// session it is sent with. Each request below would succeed with its own token, and does, last.
import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { TestBrowser, type BrowserPage } from '../platform';
import { ROLE } from '../support/lti-roles';
import { moodleLogCsv } from '../support/moodle-log-builder';
import { ALPHA, csrfOn, databaseFingerprint, fingerprintDifference, formFields, headingOf, startSecurityWorld, type Launched, type SecurityWorld } from './security-world';
import { openAlerts } from '../../src/store/alert-repository';
import { addKnownCause } from '../../src/store/known-cause-repository';
import { createDataReport } from '../../src/store/data-report-repository';
import { upsertAssignment } from '../../src/store/assignment-repository';
import { finishImportRun, startImportRun } from '../../src/store/import-run-repository';
import { issueXapiCredential } from '../../src/ingest/xapi-credential-issuer';
import { AlertModel } from '../../src/store/models/alert-model';

type Who = 'staff' | 'visaStaff' | 'student' | 'admin';
/** A person's launch and the token its pages carry. */
type Person = Launched & { csrf: string };

interface Ids {
  platform: string;
  module: string;
  s1: string;
  s2: string;
  /** The settings form as the page fills it in. */
  settingsForm: Record<string, string>;
}

interface AppRoute {
  route: string;
  who: Who;
  /** Makes what the request acts on (an alert, a cause, a key); called once per route. */
  prepare?(ids: Ids): Promise<Record<string, string>>;
  path(ids: Ids, made: Record<string, string>): string;
  body(ids: Ids): Record<string, string> | FormData;
}

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const APP_ROUTES: AppRoute[] = [
  {
    route: '/app/module/alerts/:alertId',
    who: 'staff',
    prepare: async (ids) => {
      await openAlerts(ids.module, [{ memberId: ids.s1, rule: 'noEngagement', audience: 'staff', key: 'csrf-alert', since: '2026-01-05', evidence: { text: 'Quiet.', figures: {} } }], new Date());
      return { alertId: String((await AlertModel.findOne({ moduleId: new Types.ObjectId(ids.module), key: 'csrf-alert' }).lean())?._id) };
    },
    path: (_ids, made) => `/app/module/alerts/${made.alertId}`,
    body: () => ({ action: 'acknowledge' }),
  },
  {
    route: '/app/learners/:memberId/interventions',
    who: 'staff',
    path: (ids) => `/app/learners/${ids.s1}/interventions`,
    body: () => ({ method: 'email', contactedOn: yesterday(), note: 'Checked in.' }),
  },
  {
    route: '/app/learners/:memberId/known-causes',
    who: 'staff',
    path: (ids) => `/app/learners/${ids.s1}/known-causes`,
    body: () => ({ from: '2026-01-05', to: '2026-01-09', reason: 'Authorised absence' }),
  },
  {
    route: '/app/learners/:memberId/known-causes/:causeId/remove',
    who: 'staff',
    prepare: async (ids) => ({ causeId: (await addKnownCause({ moduleId: ids.module, memberId: ids.s2, from: '2026-02-02', to: '2026-02-06', reason: 'Placement', createdByUserId: 't1', createdByName: 'T' })).id }),
    path: (ids, made) => `/app/learners/${ids.s2}/known-causes/${made.causeId}/remove`,
    body: () => ({}),
  },
  {
    route: '/app/learners/:memberId/data-reports/:reportId',
    who: 'staff',
    prepare: async (ids) => ({ reportId: (await createDataReport({ moduleId: ids.module, memberId: ids.s1, source: 'vle', text: 'Missing visit.' })).id }),
    path: (ids, made) => `/app/learners/${ids.s1}/data-reports/${made.reportId}`,
    body: () => ({ status: 'resolved', staffNote: 'Fixed.' }),
  },
  { route: '/app/learners/:memberId/not-learner', who: 'staff', path: (ids) => `/app/learners/${ids.s2}/not-learner`, body: () => ({ value: 'yes' }) },
  { route: '/app/learners/:memberId/sponsored-visa', who: 'visaStaff', path: (ids) => `/app/learners/${ids.s2}/sponsored-visa`, body: () => ({ value: 'yes' }) },
  { route: '/app/module/settings', who: 'staff', path: () => '/app/module/settings', body: (ids) => ids.settingsForm },
  { route: '/app/module/digest', who: 'staff', path: () => '/app/module/digest', body: () => ({ subscribe: 'yes' }) },
  { route: '/app/module/xapi', who: 'staff', path: () => '/app/module/xapi', body: () => ({ label: 'Logstore', scope: 'module' }) },
  {
    route: '/app/module/xapi/:keyId/revoke',
    who: 'staff',
    prepare: async (ids) => ({ keyId: (await issueXapiCredential({ scope: 'module', platformId: ids.platform, moduleId: ids.module, label: 'Old', by: { userId: 't1', name: 'T' }, at: new Date() })).credential.keyId }),
    path: (_ids, made) => `/app/module/xapi/${made.keyId}/revoke`,
    body: () => ({}),
  },
  {
    route: '/app/module/import',
    who: 'staff',
    path: () => '/app/module/import',
    body: () => {
      const form = new FormData();
      form.append('format', 'moodle-course-log');
      form.append('file', new Blob([moodleLogCsv([{ at: new Date('2026-01-12T10:00:00Z'), userId: 's1', fullName: 'Sidonie Selfridge' }])]), 'log.csv');
      return form;
    },
  },
  {
    route: '/app/module/import/runs/:runId/undo',
    who: 'staff',
    prepare: async (ids) => {
      const run = await startImportRun({ moduleId: ids.module, format: 'moodle-course-log', source: 'vle', filename: 'mistake.csv', byUserId: 't1', byName: 'T', via: 'upload', at: new Date() });
      await finishImportRun(run.id, { at: new Date(), counts: { rows: 0, imported: 0, alreadyStored: 0, skipped: 0, unmatched: 0, failed: 0 }, problems: [], notes: [], droppedColumns: [], error: null, raisedTotals: 0 });
      return { runId: run.id };
    },
    path: (_ids, made) => `/app/module/import/runs/${made.runId}/undo`,
    body: () => ({}),
  },
  {
    route: '/app/module/assignments/:assignmentId/due-date',
    who: 'staff',
    prepare: async (ids) => ({ assignmentId: (await upsertAssignment({ moduleId: ids.module, key: 'file:csrf', title: 'Essay', dueAt: null, origin: 'file' })).id }),
    path: (_ids, made) => `/app/module/assignments/${made.assignmentId}/due-date`,
    body: () => ({ due: '2026-03-15T17:00' }),
  },
  { route: '/app/admin/data-rights/erase', who: 'admin', path: () => '/app/admin/data-rights/erase', body: () => ({ user: 's3', confirm: 's3' }) },
  { route: '/app/admin/visa-staff', who: 'admin', path: () => '/app/admin/visa-staff', body: () => ({ user: 'v9' }) },
  { route: '/app/me/data-reports', who: 'student', path: () => '/app/me/data-reports', body: () => ({ source: 'vle', text: 'Tuesday is missing.' }) },
];

const FORGED = () => crypto.randomBytes(32).toString('base64url');

describe('CSRF protection of every state-changing request', () => {
  let world: SecurityWorld;
  let ids: Ids;
  const people = {} as Record<Who, Person>;
  /** For each person, a token of someone else's launch, and one of their own other launch. */
  const otherUsersToken = {} as Record<Who, string>;
  const ownOtherLaunchToken = {} as Record<Who, string>;

  beforeAll(async () => {
    world = await startSecurityWorld();
    const module = await world.moduleId('one', ALPHA.id);
    ids = { platform: await world.platformId('one'), module, s1: await world.memberId('one', ALPHA.id, 's1'), s2: await world.memberId('one', ALPHA.id, 's2'), settingsForm: {} };
    const person = async (userId: string, roles: string[], tokenPage?: string): Promise<Person> => {
      const launched = await world.launch('one', ALPHA.id, userId, roles);
      const csrf = csrfOn(launched.landing) ?? (tokenPage ? csrfOn(await world.open(launched.browser, tokenPage, launched.ltik)) : undefined);
      if (!csrf) throw new Error(`No form token for ${userId}`);
      return { ...launched, csrf };
    };
    const launches: Record<Who, [string, string[], string?]> = {
      staff: ['t1', [ROLE.instructor]],
      visaStaff: ['v1', [ROLE.instructor]],
      student: ['s1', [ROLE.learner]],
      admin: ['a1', [ROLE.institutionAdmin], '/app/admin/data-rights?user=s3'],
    };
    for (const [who, [userId, roles, page]] of Object.entries(launches) as Array<[Who, [string, string[], string?]]>) {
      people[who] = await person(userId, roles, page);
      ownOtherLaunchToken[who] = (await person(userId, roles, page)).csrf;
    }
    const someoneElse: Record<Who, Who> = { staff: 'visaStaff', visaStaff: 'staff', student: 'staff', admin: 'staff' };
    for (const who of Object.keys(people) as Who[]) otherUsersToken[who] = people[someoneElse[who]].csrf;
    const { _csrf: _own, ...form } = formFields(await world.open(people.staff.browser, '/app/module/settings', people.staff.ltik), '/app/module/settings');
    ids.settingsForm = form;
  });

  afterAll(async () => {
    await world.close();
  });

  function send(route: AppRoute, made: Record<string, string>, token: string | undefined): Promise<BrowserPage> {
    const person = people[route.who];
    const body = route.body(ids);
    // Multipart bodies are read after the check, so the upload form carries its token in the query string.
    if (body instanceof FormData) return world.post(person.browser, route.path(ids, made), person.ltik, body, token === undefined ? {} : { _csrf: token });
    return world.post(person.browser, route.path(ids, made), person.ltik, token === undefined ? body : { ...body, _csrf: token });
  }

  async function expectRefusedUnchanged(request: () => Promise<BrowserPage>): Promise<void> {
    const before = await databaseFingerprint();
    const page = await request();
    expect({ status: page.status, heading: headingOf(page) }).toEqual({ status: 403, heading: 'This form has expired' });
    expect(fingerprintDifference(before, await databaseFingerprint())).toEqual([]);
  }

  for (const route of APP_ROUTES) {
    describe(`POST ${route.route}`, () => {
      let made: Record<string, string> | undefined;
      const target = async () => (made ??= route.prepare ? await route.prepare(ids) : {});
      const refusals: Array<[string, (who: Who) => string | undefined]> = [
        ['no token', () => undefined],
        ['a forged token', () => FORGED()],
        // As long as a real token in characters, longer in bytes: the comparison must refuse it, not fail.
        ['a forged token of non-ASCII characters', () => 'é'.repeat(FORGED().length)],
        ['a token from another user’s launch', (who) => otherUsersToken[who]],
        ['a token from the same person’s other launch', (who) => ownOtherLaunchToken[who]],
      ];
      for (const [what, token] of refusals) {
        it(`when it is sent with ${what}, then it is refused with 403 and nothing changes`, async () => {
          const made = await target();
          await expectRefusedUnchanged(() => send(route, made, token(route.who)));
        });
      }
      it('when it is sent with its own session’s token, then it is accepted', async () => {
        const before = await databaseFingerprint();
        const page = await send(route, await target(), people[route.who].csrf);
        expect({ status: page.status, ok: page.status >= 200 && page.status < 300 }).toEqual({ status: page.status, ok: true });
        expect(page.html).not.toContain('This form has expired');
        expect(await databaseFingerprint()).not.toBe(before);
      });
    });
  }

  describe('the X-CSRF-Token header', () => {
    it('when a request carries a forged token in the header, then it is refused; with its own token in the header, then it is accepted', async () => {
      const staff = people.staff;
      const path = `/app/learners/${ids.s1}/interventions`;
      const fields = { method: 'phone', contactedOn: yesterday(), note: 'Rang.' };
      await expectRefusedUnchanged(() => staff.browser.post(`${world.tool.baseUrl}${path}?ltik=${encodeURIComponent(staff.ltik)}`, fields, { 'x-csrf-token': FORGED() }));
      const ok = await staff.browser.post(`${world.tool.baseUrl}${path}?ltik=${encodeURIComponent(staff.ltik)}`, fields, { 'x-csrf-token': staff.csrf });
      expect(ok.status).toBe(200);
    });
  });

  describe('the registration pages under /admin', () => {
    const signIn = async () => {
      const browser = new TestBrowser();
      const page = await browser.post(`${world.tool.baseUrl}/admin/login`, { secret: 'test-admin-secret' });
      expect(new URL(page.url).pathname).toBe('/admin/registration');
      return { browser, csrf: csrfOn(page) ?? '' };
    };
    let admin: { browser: TestBrowser; csrf: string };
    let otherAdminToken: string;
    const registration = {
      issuer: 'https://moodle.csrf.example',
      clientId: 'csrf-client',
      authUrl: 'https://moodle.csrf.example/mod/lti/auth.php',
      tokenUrl: 'https://moodle.csrf.example/mod/lti/token.php',
      keysetUrl: 'https://moodle.csrf.example/mod/lti/certs.php',
      deploymentIds: '7',
      name: 'CSRF Moodle',
    };
    const ADMIN_ROUTES: Array<[string, Record<string, string>]> = [
      ['/admin/registration', registration],
      ['/admin/registration/remove', { issuer: registration.issuer, clientId: registration.clientId }],
      ['/admin/logout', {}],
    ];

    beforeAll(async () => {
      admin = await signIn();
      // Sign-ins a moment apart are different sessions with different tokens.
      await new Promise((resolve) => setTimeout(resolve, 5));
      otherAdminToken = (await signIn()).csrf;
      expect(otherAdminToken).not.toBe(admin.csrf);
    });

    for (const [path, fields] of ADMIN_ROUTES) {
      it(`when POST ${path} is sent with no token, a forged token or another sign-in’s token, then it is refused with 403 and nothing changes; with its own, then it is accepted`, async () => {
        for (const token of [undefined, FORGED(), otherAdminToken]) {
          await expectRefusedUnchanged(() => admin.browser.post(`${world.tool.baseUrl}${path}`, token === undefined ? fields : { ...fields, _csrf: token }));
        }
        const page = await admin.browser.post(`${world.tool.baseUrl}${path}`, { ...fields, _csrf: admin.csrf });
        expect(page.status).toBe(200);
        expect(page.html).not.toContain('This form has expired');
        if (path === '/admin/registration') expect(page.html).toContain(registration.issuer);
        if (path === '/admin/registration/remove') expect(page.html).not.toContain(registration.issuer);
        if (path === '/admin/logout') expect(new URL(page.url).pathname).toBe('/admin/login');
      });
    }
  });
});
