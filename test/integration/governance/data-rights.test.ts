import mongoose from 'mongoose';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { trusted } from 'mongoose';
import { readLtik } from '../../../src/lti/ltik';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { csrfTokenFor } from '../../../src/web/csrf';
import { AuditEntryModel } from '../../../src/store/models/audit-entry-model';
import { MemberModel } from '../../../src/store/models/member-model';
import type { Member } from '../../../src/store/types';
import { memberOf, moduleOf } from '../student/engagement-seed';
import { countRecords, seedMemberRecords, type SeededText } from './member-data-seed';
import { readPdf } from './pdf-text';
import { appUrl } from '../../support/app-url';

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

const ltikOf = (page: BrowserPage) => new URL(page.url).searchParams.get('ltik') ?? '';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('data rights for administrators', () => {
  let tool: RunningTool;
  let one: Registration;
  let two: Registration;
  let platformOneId: string;
  let pat: Member[];
  let quinn: Member;
  let patElsewhere: Member;
  let patText: SeededText;
  const admin = new TestBrowser();
  let adminLtik: string;
  const patBrowser = new TestBrowser();
  let patLtik: string;

  const launch = (reg: Registration, courseId: string, userId: string, roles: string[], browser = new TestBrowser()) =>
    browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId, userId, roles });
  const url = (path: string, ltik: string, query: Record<string, string> = {}) => appUrl(tool.baseUrl, path, ltik, query);
  async function download(browser: TestBrowser, target: string): Promise<{ status: number; body: Buffer; type: string }> {
    const cookie = browser.cookies(new URL(tool.baseUrl).host).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(target, { headers: { cookie } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    tool = await startTestTool();
    one = await registerManually(tool);
    two = await registerManually(tool);
    for (const course of ['LAW1', 'LAW2']) {
      one.platform.addCourse({ id: course, title: `Law ${course}` });
      one.platform.addMember(course, { userId: 't1', name: 'Tara Teacher', roles: ['Instructor'] });
      one.platform.addMember(course, { userId: 'p1', name: 'Pat Person', email: 'pat@example.ac.uk', roles: ['Learner'] });
    }
    one.platform.addMember('LAW1', { userId: 'p2', name: 'Quinn Other', email: 'quinn@example.ac.uk', roles: ['Learner'] });
    two.platform.addCourse({ id: 'LAW1', title: 'Law on the other site' });
    two.platform.addMember('LAW1', { userId: 't1', name: 'Tara Elsewhere', roles: ['Instructor'] });
    two.platform.addMember('LAW1', { userId: 'p1', name: 'Pat Elsewhere', roles: ['Learner'] });
    await launch(one, 'LAW1', 't1', [ROLE.instructor]);
    await launch(one, 'LAW2', 't1', [ROLE.instructor]);
    await launch(two, 'LAW1', 't1', [ROLE.instructor]);
    patLtik = ltikOf(await launch(one, 'LAW1', 'p1', [ROLE.learner], patBrowser));

    const law1 = await moduleOf(tool, one, 'LAW1');
    const law2 = await moduleOf(tool, one, 'LAW2');
    const other = await moduleOf(tool, two, 'LAW1');
    platformOneId = law1.platformId;
    pat = [await memberOf(law1, 'p1'), await memberOf(law2, 'p1')];
    quinn = await memberOf(law1, 'p2');
    patElsewhere = await memberOf(other, 'p1');
    const at = new Date(Date.now() - 7 * 86_400_000);
    patText = await seedMemberRecords(law1, pat[0]!, platformOneId, at);
    await seedMemberRecords(law2, pat[1]!, platformOneId, at);
    await seedMemberRecords(law1, quinn, platformOneId, at);
    await seedMemberRecords(other, patElsewhere, other.platformId, at);
    await MemberModel.updateOne({ _id: pat[0]!.id }, { $set: { sponsoredVisa: true } });

    const adminPage = await launch(one, 'LAW1', 'a1', [ROLE.institutionAdmin], admin);
    expect(new URL(adminPage.url).pathname).toBe('/app/overview');
    adminLtik = ltikOf(adminPage);
  });

  afterAll(async () => {
    await one.platform.close();
    await two.platform.close();
    await tool.close();
  });

  it('when someone without the administrator role opens the data-rights pages, then each is refused', async () => {
    const teacher = new TestBrowser();
    const teacherLtik = ltikOf(await launch(one, 'LAW1', 't1', [ROLE.instructor], teacher));
    const student = new TestBrowser();
    const studentLtik = ltikOf(await launch(one, 'LAW1', 'p2', [ROLE.learner], student));
    for (const [browser, ltik] of [[teacher, teacherLtik], [student, studentLtik]] as const) {
      for (const target of [url('/app/admin/data-rights', ltik, { user: 'p1' }), url('/app/admin/data-rights/export.json', ltik, { user: 'p1' })]) {
        const page = await browser.get(target);
        expect({ target, status: page.status }).toEqual({ target, status: 403 });
        expect(page.html).not.toContain('Pat Person');
      }
      // A valid token for their own session, so the refusal comes from the role check, not from CSRF.
      const erase = await browser.post(url('/app/admin/data-rights/erase', ltik), { _csrf: csrfTokenFor(readLtik(ltik)!.sessionId, tool.config.ltiKey), user: 'p1', confirm: 'p1' });
      expect(erase.html).toContain('Not available to you');
      expect(erase.status).toBe(403);
    }
    expect((await countRecords(pat)).members).toBe(2);
  });

  it('when an administrator looks a person up, then they see the modules and counts held, and the lookup is audited', async () => {
    const page = await admin.get(url('/app/admin/data-rights', adminLtik, { user: 'p1' }));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<li>Law LAW1 (course LAW1)</li>');
    expect(page.html).toContain('<li>Law LAW2 (course LAW2)</li>');
    expect(page.html).not.toContain('Law on the other site');
    expect(page.html).toMatch(/<th scope="row">Module memberships<\/th><td>2<\/td>/);
    const entries = await listAuditEntries({ platformId: platformOneId, action: 'person.lookup' });
    expect(entries.map((e) => e.learnerMemberId).sort()).toEqual(pat.map((m) => m.id).sort());
    expect(entries.every((e) => e.actorUserId === 'a1' && e.actorRole === 'admin')).toBe(true);
    const unknown = await admin.get(url('/app/admin/data-rights', adminLtik, { user: 'nobody' }));
    expect(unknown.html).toContain('data-testid="person-not-found"');
  });

  it('when an administrator downloads a subject access export as JSON, then it holds everything about the person across the site’s modules, staff records included', async () => {
    const res = await download(admin, url('/app/admin/data-rights/export.json', adminLtik, { user: 'p1' }));
    expect(res.status).toBe(200);
    const text = res.body.toString('utf8');
    const data = JSON.parse(text);
    expect(data.moodleUserId).toBe('p1');
    expect(data.modules.map((m: { module: { courseId: string } }) => m.module.courseId).sort()).toEqual(['LAW1', 'LAW2']);
    const law1 = data.modules.find((m: { module: { courseId: string } }) => m.module.courseId === 'LAW1');
    expect(law1.person).toMatchObject({ name: 'Pat Person', email: 'pat@example.ac.uk' });
    expect(law1.staffOnly.flags.sponsoredVisa).toBe(true);
    expect(law1.staffOnly.interventions[0].note).toBe(patText.interventionNote);
    expect(law1.staffOnly.alerts[0].evidenceText).toBe(patText.alertEvidence);
    expect(law1.staffOnly.knownCauses[0].reason).toBe(patText.knownCauseReason);
    expect(law1.dataReports[0]).toMatchObject({ text: patText.reportText, staffNote: "Checked p1's log" });
    expect(law1.staffOnly.accessLog.map((a: { actorRole: string }) => a.actorRole)).toEqual(expect.arrayContaining(['staff', 'student']));
    expect(law1.events.length).toBeGreaterThanOrEqual(2);
    expect(data.digestSubscriptions).toHaveLength(2);
    for (const other of ['Quinn Other', 'quinn@example.ac.uk', 'Pat Elsewhere', 'Law on the other site']) expect(text).not.toContain(other);
    const audit = await listAuditEntries({ platformId: platformOneId, action: 'person.export' });
    expect(audit.filter((e) => e.detail.format === 'json').map((e) => e.learnerMemberId).sort()).toEqual(pat.map((m) => m.id).sort());
  });

  it('when an administrator downloads the subject access export as PDF, then it is a readable PDF of both modules with the staff records', async () => {
    const res = await download(admin, url('/app/admin/data-rights/export.pdf', adminLtik, { user: 'p1' }));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/pdf');
    const pdf = readPdf(res.body);
    expect(pdf.title).toBe('Subject access export');
    expect(pdf.pageCount).toBeGreaterThanOrEqual(2);
    for (const expected of ['Moodle user id: p1', 'Module: Law LAW1 (Moodle course LAW1)', 'Module: Law LAW2 (Moodle course LAW2)', patText.interventionNote, patText.knownCauseReason, 'Sponsored student visa', 'Who looked at this data']) {
      expect(pdf.text).toContain(expected);
    }
    expect(pdf.text).not.toContain('Quinn Other');
  });

  it('when the erase form is sent without its token, with a wrong confirmation or for oneself, then nothing is erased', async () => {
    const page = await admin.get(url('/app/admin/data-rights', adminLtik, { user: 'p1' }));
    const before = await countRecords(pat);
    const noToken = await admin.post(url('/app/admin/data-rights/erase', adminLtik), { user: 'p1', confirm: 'p1' });
    expect(noToken.status).toBe(403);
    const wrong = await admin.post(url('/app/admin/data-rights/erase', adminLtik), { _csrf: csrfOf(page.html), user: 'p1', confirm: 'p2' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Type the Moodle user id “p1” again in the confirmation box');
    const self = await admin.post(url('/app/admin/data-rights/erase', adminLtik), { _csrf: csrfOf(page.html), user: 'a1', confirm: 'a1' });
    expect(self.status).toBe(400);
    expect(self.html).toContain('You cannot erase your own data');
    expect(await countRecords(pat)).toEqual(before);
  });

  it('when an administrator erases a person, then they are gone from every module of the site, everyone else is untouched and the audit entry holds no personal data', async () => {
    // The same Moodle user id launches on the other site too: what the LTI library keeps of that launch must stay.
    await launch(two, 'LAW1', 'p1', [ROLE.learner]);
    const idTokens = (site: Registration) => mongoose.connection.collection('idtokens').countDocuments({ iss: site.platform.issuer, clientId: site.clientId, user: 'p1' });
    expect(await idTokens(one)).toBeGreaterThan(0);
    const otherSiteTokens = await idTokens(two);
    expect(otherSiteTokens).toBeGreaterThan(0);
    const quinnBefore = await countRecords([quinn]);
    const elsewhereBefore = await countRecords([patElsewhere]);
    const page = await admin.get(url('/app/admin/data-rights', adminLtik, { user: 'p1' }));
    const done = await admin.post(url('/app/admin/data-rights/erase', adminLtik), { _csrf: csrfOf(page.html), user: 'p1', confirm: 'p1' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('data-testid="erasure-done"');
    expect(done.html).toMatch(/<th scope="row">Module memberships<\/th><td>2<\/td>/);

    const after = await countRecords(pat);
    // Only the record of staff and administrators looking at Pat's data stays, and it names no one now.
    expect({ ...after, auditEntries: 0 }).toEqual(Object.fromEntries(Object.keys(after).map((k) => [k, 0])));
    const remaining = await AuditEntryModel.find({ learnerMemberId: trusted({ $in: pat.map((m) => m.id) }) }).lean();
    expect(remaining.length).toBeGreaterThan(0);
    expect(remaining.every((e) => e.actorUserId !== 'p1')).toBe(true);
    expect(await countRecords([quinn])).toEqual(quinnBefore);
    expect(await countRecords([patElsewhere])).toEqual(elsewhereBefore);

    const [erasure] = await listAuditEntries({ platformId: platformOneId, action: 'person.erase' });
    expect(erasure).toMatchObject({ actorUserId: 'a1', actorRole: 'admin', learnerMemberId: null, moduleId: null });
    expect(Object.values(erasure!.detail).every((v) => typeof v === 'number')).toBe(true);
    expect(erasure!.detail).toMatchObject({ modules: 2, members: 2, interventions: 2 });
    expect(erasure!.detail.launchTokens).toBeGreaterThan(0);
    expect(await idTokens(one)).toBe(0);
    expect(await idTokens(two)).toBe(otherSiteTokens);
    const stored = JSON.stringify(await AuditEntryModel.findOne({ action: 'person.erase' }).lean());
    for (const personal of ['p1', 'Pat', 'pat@example.ac.uk', ...pat.map((m) => m.id)]) expect(stored).not.toContain(personal);
  });

  it('when an erased person’s old session is used, then it is refused because their session went with the erasure', async () => {
    const page = await patBrowser.get(url('/app/me', patLtik));
    expect(page.status).toBe(401);
    expect(page.html).not.toContain('Pat Person');
  });

  it('when the export command is run for a person, then it writes their subject access export and audits it', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-sar-')), 'quinn.json');
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/export-learner-cli.ts', '--platform', one.platform.issuer, '--user', 'p2', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: tool.databaseUri, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ modules: 1, format: 'json' });
    const data = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(data.modules[0].person.name).toBe('Quinn Other');
    const audit = await listAuditEntries({ learnerMemberId: quinn.id, action: 'person.export' });
    expect(audit[0]).toMatchObject({ actorUserId: 'command-line', actorRole: 'operator' });
  });
});
