import fs from 'node:fs';
import path from 'node:path';
import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { findModule } from '../../../src/store/module-repository';
import { listModuleRollups } from '../../../src/store/daily-activity-repository';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import { XapiCredentialModel } from '../../../src/store/models/xapi-credential-model';
import type { Module } from '../../../src/store/types';

const COURSE = '12';
const OTHER_COURSE = '34';
const FIXTURE_SITE = 'https://moodle.uni.example.ac.uk';

function unescapeHtml(text: string): string {
  return text.replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, '&');
}

describe('xAPI statements from Moodle’s Logstore xAPI plugin', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  let otherModule: Module;
  let key: { keyId: string; secret: string };
  let batch: unknown[];

  const launch = (courseId: string, userId: string, roles: string[]) => {
    const browser = new TestBrowser();
    return browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId, userId, roles }).then((page) => ({ browser, page }));
  };
  const ltikOf = (page: BrowserPage) => new URL(page.url).searchParams.get('ltik')!;

  /** Staff create a key on the xAPI page, exactly as a person would, and read it off the page shown once. */
  async function createKey(browser: TestBrowser, ltik: string, fields: Record<string, string> = {}): Promise<{ keyId: string; secret: string; page: BrowserPage }> {
    const page = await browser.get(`${tool.baseUrl}/app/module/xapi?ltik=${encodeURIComponent(ltik)}`);
    expect(page.status).toBe(200);
    const csrf = unescapeHtml(/name="_csrf" value="([^"]+)"/.exec(page.html)![1]!);
    const created = await browser.post(`${tool.baseUrl}/app/module/xapi?ltik=${encodeURIComponent(ltik)}`, { _csrf: csrf, label: 'Moodle', ...fields });
    const keyId = /data-testid="issued-key-id">([^<]+)</.exec(created.html)?.[1];
    const secret = /data-testid="issued-secret">([^<]+)</.exec(created.html)?.[1];
    if (!keyId || !secret) throw new Error(`No key on the page (status ${created.status})`);
    return { keyId: unescapeHtml(keyId), secret: unescapeHtml(secret), page: created };
  }

  const post = (body: unknown, credentials: { keyId: string; secret: string } | null = key, raw?: string) =>
    fetch(`${tool.baseUrl}/xapi/statements`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Experience-API-Version': '1.0.3',
        ...(credentials ? { Authorization: `Basic ${Buffer.from(`${credentials.keyId}:${credentials.secret}`).toString('base64')}` } : {}),
      },
      body: raw ?? JSON.stringify(body),
    });
  const viewed = (id: string, userId: string, courseId = COURSE, at = '2026-10-15T10:00:00.000Z') => ({
    id,
    actor: { name: 'Someone', account: { homePage: reg.platform.issuer, name: userId } },
    verb: { id: 'http://id.tincanapi.com/verb/viewed', display: { en: 'viewed' } },
    object: { id: `${reg.platform.issuer}/mod/page/view.php?id=643`, objectType: 'Activity' },
    timestamp: at,
    context: { contextActivities: { parent: [{ id: `${reg.platform.issuer}/course/view.php?id=${courseId}` }] } },
  });
  const eventCount = () => EngagementEventModel.countDocuments({});

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'silent' });
    reg = await registerManually(tool);
    for (const id of [COURSE, OTHER_COURSE]) {
      reg.platform.addCourse({ id, title: `Course ${id}` });
      reg.platform.addMember(id, { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
      reg.platform.addMember(id, { userId: '1120', name: 'Amira Haddad', roles: ['Learner'] });
      reg.platform.addMember(id, { userId: '982', name: 'Loc Nguyen', roles: ['Learner'] });
      reg.platform.addMember(id, { userId: '1046', name: 'Chau Bui', email: 'chau.bui@student.uni.example.ac.uk', roles: ['Learner'] });
      reg.platform.addMember(id, { userId: '1302', name: 'Robin Kaur', roles: ['Learner'] });
    }
    const teacher = await launch(COURSE, 't1', [ROLE.instructor]);
    await launch(OTHER_COURSE, 't1', [ROLE.instructor]);
    const platformId = await (await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId))!.platformId();
    module = (await findModule(platformId, COURSE))!;
    otherModule = (await findModule(platformId, OTHER_COURSE))!;
    const created = await createKey(teacher.browser, ltikOf(teacher.page));
    key = { keyId: created.keyId, secret: created.secret };
    const fixture = fs.readFileSync(path.resolve(__dirname, '../../fixtures/ingest/xapi/logstore-xapi-batch.json'), 'utf8');
    batch = JSON.parse(fixture.split(FIXTURE_SITE).join(reg.platform.issuer)) as unknown[];
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  it('when staff create a key, then the page shows the endpoint and the secret once, and only a hash of it is stored', async () => {
    const stored = await XapiCredentialModel.findById(key.keyId).lean();
    expect(stored).toMatchObject({ scope: 'module', label: 'Moodle', revokedAt: null });
    expect(JSON.stringify(stored)).not.toContain(key.secret);
    expect((await listAuditEntries({ moduleId: module.id, action: 'xapi-credential.create' })).length).toBe(1);
    const teacher = await launch(COURSE, 't1', [ROLE.instructor]);
    const page = await teacher.browser.get(`${tool.baseUrl}/app/module/xapi?ltik=${encodeURIComponent(ltikOf(teacher.page))}`);
    expect(page.html).toContain(`${tool.baseUrl}/xapi/`);
    expect(page.html).toContain(key.keyId);
    expect(page.html).not.toContain(key.secret);
  });

  it('when one statement is sent, then it is stored as a vle event of the member and answered with its id', async () => {
    const res = await post(viewed('11111111-2222-4333-8444-555555555555', '1120'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-experience-api-version')).toBe('1.0.3');
    expect(await res.json()).toEqual(['11111111-2222-4333-8444-555555555555']);
    const event = await EngagementEventModel.findOne({ sourceId: 'xapi:11111111-2222-4333-8444-555555555555' }).lean();
    expect(event).toMatchObject({ source: 'vle' });
    expect(String(event!.moduleId)).toBe(module.id);
    expect((await listModuleRollups(module.id)).some((r) => r.source === 'vle' && r.day === '2026-10-15' && r.count === 1)).toBe(true);
  });

  it('when a batch holds an unreadable statement, then the whole batch is refused with 400 and the reasons, and nothing is stored', async () => {
    const before = await eventCount();
    const res = await post(batch);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: Array<{ index: number; reason: string }> };
    expect(body.problems.map((p) => p.index)).toEqual([4, 5]);
    expect(body.problems[0]!.reason).toMatch(/actor/);
    expect(body.problems[1]!.reason).toMatch(/not this platform/);
    expect(await eventCount()).toBe(before);
  });

  it('when an array arrives as the plugin sends it, then each statement is answered, engagement stored, and the grade acknowledged but not kept', async () => {
    const before = await eventCount();
    const valid = [0, 1, 2, 3, 6].map((i) => batch[i]);
    const res = await post(valid);
    expect(res.status).toBe(200);
    const ids = (await res.json()) as string[];
    expect(ids).toHaveLength(5);
    expect(ids[0]).toBe('0c6f2b1e-58a4-4d6e-9b1f-2a7c3e9d4f10');
    expect(await eventCount()).toBe(before + 4);
    const submitted = await EngagementEventModel.findOne({ sourceId: 'xapi:7d1a9e40-3b2c-4f5d-8e6a-1b0c9d8e7f65' }).lean();
    expect(submitted).toMatchObject({ source: 'assignment' });
    expect(await EngagementEventModel.countDocuments({ sourceId: 'xapi:a4b3c2d1-0e9f-4a8b-b7c6-d5e4f3a2b1c0' })).toBe(0);
    const completed = await EngagementEventModel.findOne({ sourceId: `xapi:${ids[2]}` }).lean();
    expect(completed).toMatchObject({ source: 'vle', minutes: 12.5 });
  });

  it('when the same statements are sent again, then the answer is the same and nothing is added', async () => {
    const valid = [0, 1, 2, 3, 6].map((i) => batch[i]);
    const before = await eventCount();
    const rollups = await listModuleRollups(module.id);
    const res = await post(valid);
    expect(res.status).toBe(200);
    expect(((await res.json()) as string[])[2]).toBe((await EngagementEventModel.find({ sourceId: /^xapi:/, minutes: 12.5 }).lean())[0]!.sourceId.slice(5));
    expect(await eventCount()).toBe(before);
    expect((await listModuleRollups(module.id)).length).toBe(rollups.length);
  });

  it('when a module key sends a statement about another course or an unknown person, then it is acknowledged and not stored', async () => {
    const before = await eventCount();
    const res = await post([viewed('21111111-2222-4333-8444-555555555555', '1120', OTHER_COURSE), viewed('31111111-2222-4333-8444-555555555555', '99999')]);
    expect(res.status).toBe(200);
    expect(await eventCount()).toBe(before);
  });

  it('when the body is not JSON, then 400 says so', async () => {
    const res = await post(null, key, '{"actor": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid-json' });
    expect(res.headers.get('x-experience-api-version')).toBe('1.0.3');
  });

  it('when credentials are missing or wrong, then 401 asks for Basic credentials and nothing is stored', async () => {
    const before = await eventCount();
    const none = await post(viewed('41111111-2222-4333-8444-555555555555', '1120'), null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await post(viewed('41111111-2222-4333-8444-555555555555', '1120'), { keyId: key.keyId, secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    const unknown = await post(viewed('41111111-2222-4333-8444-555555555555', '1120'), { keyId: 'wmk_nobody', secret: key.secret });
    expect(unknown.status).toBe(401);
    expect(await eventCount()).toBe(before);
  });

  it('when a site administrator creates a key for the whole site, then statements go to the module of their course', async () => {
    const admin = await launch(OTHER_COURSE, 'admin1', [ROLE.instructor, ROLE.institutionAdmin]);
    const platformKey = await createKey(admin.browser, ltikOf(admin.page), { scope: 'platform' });
    const res = await post([viewed('51111111-2222-4333-8444-555555555555', '982', OTHER_COURSE), viewed('61111111-2222-4333-8444-555555555555', '982', '777')], platformKey);
    expect(res.status).toBe(200);
    const stored = await EngagementEventModel.findOne({ sourceId: 'xapi:51111111-2222-4333-8444-555555555555' }).lean();
    expect(String(stored!.moduleId)).toBe(otherModule.id);
    expect(await EngagementEventModel.countDocuments({ sourceId: 'xapi:61111111-2222-4333-8444-555555555555' })).toBe(0);
  });

  it('when a teacher without site rights asks for a site-wide key, then it is refused', async () => {
    const teacher = await launch(COURSE, 't1', [ROLE.instructor]);
    await expect(createKey(teacher.browser, ltikOf(teacher.page), { scope: 'platform' })).rejects.toThrow(/status 403/);
  });

  it('when a key is revoked, then statements sent with it are refused', async () => {
    const teacher = await launch(COURSE, 't1', [ROLE.instructor]);
    const ltik = ltikOf(teacher.page);
    const page = await teacher.browser.get(`${tool.baseUrl}/app/module/xapi?ltik=${encodeURIComponent(ltik)}`);
    const csrf = unescapeHtml(/name="_csrf" value="([^"]+)"/.exec(page.html)![1]!);
    const revoked = await teacher.browser.post(`${tool.baseUrl}/app/module/xapi/${key.keyId}/revoke?ltik=${encodeURIComponent(ltik)}`, { _csrf: csrf });
    expect(revoked.status).toBe(200);
    expect(revoked.html).toContain('Key revoked');
    const res = await post(viewed('71111111-2222-4333-8444-555555555555', '1120'));
    expect(res.status).toBe(401);
    expect(await EngagementEventModel.countDocuments({ sourceId: 'xapi:71111111-2222-4333-8444-555555555555' })).toBe(0);
    expect((await listAuditEntries({ moduleId: module.id, action: 'xapi-credential.revoke' })).length).toBe(1);
  });
});
