import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { TestBrowser } from '../../platform';
import { ROLE } from '../../support/lti-roles';
import { ltikOf, type EngagementModule } from '../analytics/engagement-module-fixture';
import { DROPPED, LOW, SILENT, STEADY, startStaffScenario } from './staff-module-scenario';
import { csrfOf } from './staff-html';
import { sendWeeklyDigests } from '../../../src/mail/weekly-digest';
import { recomputeModuleAnalysis } from '../../../src/reports/module-analysis-service';
import { setMemberSponsoredVisa } from '../../../src/store/member-flags-repository';
import { listDigestSubscriptions } from '../../../src/store/digest-subscription-repository';
import { createDataReport } from '../../../src/store/data-report-repository';
import { PlatformProfileModel } from '../../../src/store/models/platform-profile-model';

interface ReceivedMail {
  to: string[];
  subject: string;
  body: string;
}

/** Undoes quoted-printable, which nodemailer uses for text with non-ASCII characters or long lines. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function parseMail(raw: string, to: string[]): ReceivedMail {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/m.exec(headers)?.[1] ?? '';
  const body = rest.join('\n\n');
  return { to, subject, body: /quoted-printable/i.test(headers) ? decodeQuotedPrintable(body) : body };
}

describe('weekly email digest', () => {
  let fx: EngagementModule;
  let smtp: SMTPServer;
  let smtpUrl: string;
  const received: ReceivedMail[] = [];
  const mailFrom = 'Waymark <waymark@example.ac.uk>';
  const learnerNames = [...STEADY, SILENT, LOW, DROPPED].flatMap((l) => [l.name, l.givenName, l.familyName]);

  async function subscribe(userId: string, choice: 'yes' | 'no'): Promise<void> {
    const browser = new TestBrowser();
    const page = await fx.launch(userId, [ROLE.instructor], {}, browser);
    const done = await browser.post(`${fx.tool.baseUrl}/app/module/digest?ltik=${encodeURIComponent(ltikOf(page))}`, { _csrf: csrfOf(page), subscribe: choice });
    expect(new URL(done.url).searchParams.get('done')).toBe(choice === 'yes' ? 'digest-on' : 'digest-off');
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          received.push(parseMail(raw, session.envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

    fx = await startStaffScenario();
    fx.reg.platform.addMember(fx.courseId, { userId: 'v1', name: 'Vera Visa', email: 'vera@example.ac.uk', roles: ['Instructor'] });
    const moduleId = (await fx.module()).id;
    await PlatformProfileModel.updateOne({ platformId: (await fx.module()).platformId }, { $set: { visaComplianceUserIds: ['v1'] } });
    await setMemberSponsoredVisa(moduleId, await fx.memberId(SILENT.userId), true);
    await recomputeModuleAnalysis(moduleId, new Date());
    await subscribe('t1', 'yes');
    await subscribe('v1', 'yes');
  });

  afterAll(async () => {
    await fx?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('when the SMTP server cannot be reached, then nothing is marked as sent, so the next run still covers the same alerts', async () => {
    const outcome = await sendWeeklyDigests({ smtpUrl: 'smtp://127.0.0.1:1', mailFrom, now: new Date() });
    expect(outcome).toEqual({ sent: 0, skipped: 0, failed: 2 });
    for (const s of await listDigestSubscriptions()) expect(s.lastSentAt).toBeNull();
  });

  it('when the digest runs, then each subscriber gets the count of new alerts, with no student named and no link, and visa alerts only for visa-compliance staff', async () => {
    const outcome = await sendWeeklyDigests({ smtpUrl, mailFrom, now: new Date() });
    expect(outcome).toEqual({ sent: 2, skipped: 0, failed: 0 });
    const tess = received.find((m) => m.to.includes('tess@example.ac.uk'))!;
    const vera = received.find((m) => m.to.includes('vera@example.ac.uk'))!;
    expect(tess.subject).toMatch(/^Waymark: \d+ new engagement alerts? in Research Methods in Psychology$/);
    expect(tess.body).toContain('Hello Tess Teacher,');
    expect(tess.body).toMatch(/- No engagement: 1/);
    expect(tess.body).toContain('open Waymark from the Research Methods in Psychology course page in Moodle');
    expect(tess.body).not.toContain('Sponsored visa');
    expect(vera.body).toMatch(/- Sponsored visa: \d/);
    for (const mail of [tess, vera]) {
      for (const name of learnerNames) {
        expect(mail.subject).not.toContain(name);
        expect(mail.body).not.toContain(name);
      }
      expect(mail.body).not.toMatch(/https?:|ltik|www\./i);
    }
  });

  it('when the digest runs again within the week, then nobody gets a second email', async () => {
    const before = received.length;
    const outcome = await sendWeeklyDigests({ smtpUrl, mailFrom, now: new Date() });
    expect(outcome).toEqual({ sent: 0, skipped: 2, failed: 0 });
    expect(received).toHaveLength(before);
  });

  it('when a week passes with no new alert, then no email is sent', async () => {
    const before = received.length;
    const nextWeek = new Date(Date.now() + 8 * 24 * 60 * 60 * 1000);
    const outcome = await sendWeeklyDigests({ smtpUrl, mailFrom, now: nextWeek });
    expect(outcome.sent).toBe(0);
    expect(received).toHaveLength(before);
  });

  it('when a week brings no new alert but a student’s report of wrong data waits, then the email says so, naming nobody', async () => {
    const before = received.length;
    await createDataReport({ moduleId: (await fx.module()).id, memberId: await fx.memberId(SILENT.userId), source: 'vle', text: 'I was in Moodle on Tuesday.' });
    const outcome = await sendWeeklyDigests({ smtpUrl, mailFrom, now: new Date(Date.now() + 16 * 24 * 60 * 60 * 1000) });
    expect(outcome.sent).toBe(2);
    const tess = received.slice(before).find((m) => m.to.includes('tess@example.ac.uk'))!;
    expect(tess.subject).toBe('Waymark: 1 student report waiting in Research Methods in Psychology');
    expect(tess.body).toContain('1 report from students about data they believe is wrong waits for a reply.');
    for (const name of learnerNames) expect(tess.body).not.toContain(name);
  });

  it('when a teacher stops the weekly email, then their subscription is removed', async () => {
    await subscribe('t1', 'no');
    expect((await listDigestSubscriptions()).map((s) => s.userId)).toEqual(['v1']);
  });
});
