// Uploads that are too large, not text, empty or several at once are refused before anything is stored, with
// a message saying what to do. (The upload page's ordinary cases, the plain oversize and .xlsx refusals live in
// test/integration/ingest/import-upload-page.test.ts.)
import zlib from 'node:zlib';
import type { BrowserPage } from '../platform';
import { ROLE } from '../support/lti-roles';
import { moodleLogCsv } from '../support/moodle-log-builder';
import { ALPHA, NAMES, csrfOn, databaseFingerprint, decodeHtml, fingerprintDifference, startSecurityWorld, type Launched, type SecurityWorld } from './security-world';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../src/web/staff/import-router';
import { listRecentImportRuns } from '../../src/store/import-run-repository';
import { issueXapiCredential } from '../../src/ingest/xapi-credential-issuer';

/** The smallest valid PNG: signature, IHDR, IDAT, IEND. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082',
  'hex',
);

/** A zip archive (what an .xlsx workbook is) holding one CSV, built by hand: local header, central directory, end. */
function zipWith(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const crc = zlib.crc32(data);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fileName.length, 12);
  end.writeUInt32LE(30 + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

describe('uploads that must be refused', () => {
  let world: SecurityWorld;
  let staff: Launched & { csrf: string };
  let alphaModule: string;
  /** A real Moodle log of this module: refused only for how it is packed, never for what it says. */
  const log = () => moodleLogCsv([{ at: new Date('2026-01-12T10:00:00Z'), userId: 's1', fullName: NAMES.s1 }]);

  beforeAll(async () => {
    world = await startSecurityWorld();
    alphaModule = await world.moduleId('one', ALPHA.id);
    const launched = await world.launch('one', ALPHA.id, 't1', [ROLE.instructor]);
    const importPage = await world.open(launched.browser, '/app/module/import', launched.ltik);
    staff = { ...launched, csrf: csrfOn(importPage) ?? '' };
  });

  afterAll(async () => {
    await world.close();
  });

  function upload(files: Array<{ name: string; content: Buffer | string }>, fields: Record<string, string> = { format: 'moodle-course-log' }): Promise<BrowserPage> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) form.append('file', new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)]), file.name);
    return world.post(staff.browser, '/app/module/import', staff.ltik, form, { _csrf: staff.csrf });
  }

  /** The messages of a refused form, as the person reads them. */
  const problemsOn = (page: BrowserPage) => decodeHtml(page.html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

  async function refusedWithNothingStored(send: () => Promise<BrowserPage>, status: number, message: RegExp): Promise<BrowserPage> {
    const runsBefore = (await listRecentImportRuns(alphaModule)).length;
    const before = await databaseFingerprint();
    const page = await send();
    expect({ status: page.status, path: new URL(page.url).pathname }).toEqual({ status, path: '/app/module/import' });
    expect(problemsOn(page)).toMatch(message);
    expect(fingerprintDifference(before, await databaseFingerprint())).toEqual([]);
    expect((await listRecentImportRuns(alphaModule)).length).toBe(runsBefore);
    return page;
  }

  it('when the file is one byte over the upload limit, then it is refused with 413, nothing is stored and the form keeps the chosen format', async () => {
    const page = await refusedWithNothingStored(() => upload([{ name: 'logs.csv', content: Buffer.alloc(DEFAULT_MAX_UPLOAD_BYTES + 1, 'a') }], { format: 'moodle-logstore' }), 413, /larger than 50 MB/);
    expect(page.html).toMatch(/<input type="radio" name="format" value="moodle-logstore" checked/);
  });

  it.each([
    ['a PNG image renamed .csv', 'attendance.csv', PNG],
    ['an .xlsx workbook (a zip) renamed .csv', 'grades.csv', zipWith('xl/worksheets/sheet1.csv', 'Time,User full name\n')],
    ['a zip of a real log renamed .txt', 'logs.txt', zipWith('logs.csv', moodleLogCsv([{ at: new Date('2026-01-12T10:00:00Z'), userId: 's1', fullName: NAMES.s1 }]))],
    ['a gzip-compressed log renamed .tsv', 'logs.tsv', zlib.gzipSync(moodleLogCsv([{ at: new Date('2026-01-12T10:00:00Z'), userId: 's1', fullName: NAMES.s1 }]))],
    ['a PDF renamed .csv', 'report.csv', Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n')],
    ['binary bytes with NULs renamed .csv', 'data.csv', Buffer.concat([Buffer.from('Time,User full name\n'), Buffer.from([0, 1, 2, 0, 255, 254, 0, 7, 0, 0, 9, 0])])],
    // Every other byte NUL, as in UTF-16 text, but the other bytes are control codes no export contains.
    ['binary data shaped like UTF-16 without a BOM', 'attendance.csv', Buffer.from(Array.from({ length: 512 }, (_, i) => (i % 2 === 1 ? 0 : [1, 2, 3, 4, 0x10, 0x1b, 0x41, 0x7f][i % 8]!)))],
  ])('when %s is uploaded, then it is refused with 415, nothing is stored and the page says to choose the text export', async (_what, name, content) => {
    await refusedWithNothingStored(() => upload([{ name, content }]), 415, /not a text export/);
  });

  it('when an empty file is uploaded, then it is refused with 400, nothing is stored and the page says the file is empty', async () => {
    await refusedWithNothingStored(() => upload([{ name: 'logs.csv', content: '' }]), 400, /is empty/);
  });

  it('when two files are sent in one upload, then it is refused with 400 and nothing is stored', async () => {
    await refusedWithNothingStored(
      () => upload([{ name: 'a.csv', content: log() }, { name: 'b.csv', content: log() }]),
      400,
      /Upload one file with the form on this page/,
    );
  });

  it('when the upload carries more form fields than the form has, or a field far longer than any the form sends, then it is refused with 400 and nothing is stored', async () => {
    const manyFields = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`extra${i}`, 'x']));
    await refusedWithNothingStored(() => upload([{ name: 'logs.csv', content: log() }], { format: 'moodle-course-log', ...manyFields }), 400, /Upload one file with the form on this page/);
    await refusedWithNothingStored(() => upload([{ name: 'logs.csv', content: log() }], { format: 'moodle-course-log', assignmentName: 'x'.repeat(20_000) }), 400, /Upload one file with the form on this page/);
  });

  it('when a file name carries directories, then only its base name is kept with the import', async () => {
    const page = await upload([{ name: '../../../etc/passwd.csv', content: log() }]);
    expect(page.status).toBe(200);
    const [run] = await listRecentImportRuns(alphaModule);
    expect(run?.filename).toBe('passwd.csv');
  });

  it('when a form other than the upload sends a body beyond its limit, then it is refused with 413 and nothing is stored', async () => {
    const student = await world.launch('one', ALPHA.id, 's1', [ROLE.learner]);
    const before = await databaseFingerprint();
    const page = await world.post(student.browser, '/app/me/data-reports', student.ltik, { _csrf: csrfOn(student.landing) ?? '', source: 'vle', text: 'x'.repeat(150_000) });
    expect(page.status).toBe(413);
    expect(problemsOn(page)).toContain('That upload is too large');
    expect(fingerprintDifference(before, await databaseFingerprint())).toEqual([]);
  });

  it('when Moodle’s xAPI plugin sends more than 2 MB of statements in one request, then it is refused with 413, and an unknown caller with 401 before the body is read', async () => {
    const issued = await issueXapiCredential({ scope: 'module', platformId: await world.platformId('one'), moduleId: alphaModule, label: 'Logstore', by: { userId: 't1', name: 'T' }, at: new Date() });
    const body = JSON.stringify([{ id: '6a0d1c7e-1111-4222-8333-944455556666', pad: 'x'.repeat(3 * 1_048_576) }]);
    const send = (keyId: string, secret: string) =>
      fetch(`${world.tool.baseUrl}/xapi/statements`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`, 'content-type': 'application/json' }, body });
    const before = await databaseFingerprint();
    const tooLarge = await send(issued.credential.keyId, issued.secret);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: 'too-large' });
    const unknown = await send('unknown', 'secret');
    expect(unknown.status).toBe(401);
    // The key's last use may be noted; no statement, event or anything else is.
    expect(fingerprintDifference(before, await databaseFingerprint()).filter((part) => part !== 'xapiKeys')).toEqual([]);
  });
});
