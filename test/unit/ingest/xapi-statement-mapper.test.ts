import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapXapiStatements } from '../../../src/ingest/formats/xapi-statement-mapper';
import { FIXTURES } from './parse-result-helpers';

const SITE = 'https://moodle.uni.example.ac.uk';
const batch = (): unknown[] => JSON.parse(readFileSync(join(FIXTURES, 'xapi/logstore-xapi-batch.json'), 'utf8')) as unknown[];

describe('xAPI statement mapper', () => {
  it('when a viewed statement arrives, then it maps to a vle record keyed by the statement id with the course from its parents', () => {
    const [viewed] = mapXapiStatements(batch(), { siteUrl: SITE });

    expect(viewed).toEqual({
      ok: true,
      index: 0,
      statementId: '0c6f2b1e-58a4-4d6e-9b1f-2a7c3e9d4f10',
      idDerived: false,
      courseId: '12',
      record: {
        source: 'vle',
        sourceId: 'xapi:0c6f2b1e-58a4-4d6e-9b1f-2a7c3e9d4f10',
        occurredAt: new Date('2026-10-10T14:31:41Z'),
        person: { fullName: 'Amira Haddad', moodleUserId: '1120' },
        count: 1,
        minutes: 0,
        detail: { verb: 'viewed', courseId: '12', module: 'page', courseModuleId: '643', activityType: 'module' },
      },
    });
  });

  it('when a submission arrives with an offset timestamp, then it is an assignment record at the right instant', () => {
    const submitted = mapXapiStatements(batch(), { siteUrl: SITE })[1]!;

    expect(submitted).toMatchObject({
      ok: true,
      courseId: '12',
      record: { source: 'assignment', occurredAt: new Date('2026-10-11T16:05:12Z'), detail: { verb: 'submitted', module: 'assign', courseModuleId: '660' } },
    });
  });

  it('when a statement has no id, then a deterministic id is derived from its content and the same statement maps to the same id', () => {
    const first = mapXapiStatements(batch(), { siteUrl: SITE })[2]!;
    const reversed = (value: unknown): unknown =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reversed(item)]))
        : value;
    const reordered = reversed(batch()[2]);
    const again = mapXapiStatements([reordered], { siteUrl: SITE })[0]!;

    expect(first).toMatchObject({ ok: true, idDerived: true, statementId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) });
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(batch()[2]));
    expect(again).toMatchObject({ ok: true, statementId: first.ok ? first.statementId : 'missing' });
  });

  it('when a statement uses mbox and a result, then email and minutes are mapped and the score is not kept', () => {
    const completed = mapXapiStatements(batch(), { siteUrl: SITE })[2]!;

    expect(completed).toMatchObject({ ok: true, record: { person: { fullName: 'Chau Bui', email: 'chau.bui@student.uni.example.ac.uk' }, minutes: 12.5 } });
    expect(JSON.stringify(completed)).not.toMatch(/scaled|score|0\.8/);
  });

  it('when a scored statement arrives, then it is ignored (not failed) because a grade is not engagement', () => {
    expect(mapXapiStatements(batch(), { siteUrl: SITE })[3]).toEqual({
      ok: false,
      index: 3,
      ignored: true,
      reason: 'Verb https://w3id.org/xapi/tla/verbs/scored ignored: a grade given by staff is not engagement.',
    });
  });

  it('when a statement has no actor or comes from another site, then it fails with a reason', () => {
    const results = mapXapiStatements(batch(), { siteUrl: SITE });

    expect(results[4]).toMatchObject({ ok: false, ignored: false, reason: expect.stringContaining('actor') });
    expect(results[5]).toMatchObject({ ok: false, reason: `Statement points at https://moodle.other.example/course/view.php?id=3, not this platform (${SITE}).` });
  });

  it('when the actor account is a username and the object a forum discussion, then username and the parent forum are used', () => {
    const created = mapXapiStatements(batch(), { siteUrl: SITE })[6]!;

    expect(created).toMatchObject({
      ok: true,
      record: { person: { username: 'rkaur' }, detail: { verb: 'created', module: 'forum', courseModuleId: '651', courseId: '12' } },
    });
  });

  it('when a single statement (not an array) arrives, then one result comes back', () => {
    expect(mapXapiStatements(batch()[0])).toHaveLength(1);
  });

  it('when a statement names no course, then it fails because it cannot be placed in a module', () => {
    const statement = { ...(batch()[0] as object), context: undefined, object: { id: `${SITE}/mod/page/view.php?id=643` } };

    expect(mapXapiStatements([statement])[0]).toMatchObject({ ok: false, reason: expect.stringContaining('No course') });
  });

  it('when the body is not a statement at all, then it fails without throwing', () => {
    expect(mapXapiStatements('hello')).toEqual([{ ok: false, index: 0, ignored: false, reason: expect.stringContaining('Not an xAPI statement') }]);
  });
});
