import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { getModuleById, markModuleViewChanged, readModuleViewVersions, upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { withViewVersionsOf } from '../../../src/store/view-versions-scope';
import { upsertMemberFromLaunch } from '../../../src/store/member-repository';
import { clearModuleReadCache, readThroughModuleCache } from '../../../src/store/module-read-cache';

// The per-process cache of what pages read in bulk, against a real database holding the module's view version.

describe('reading through the module cache', () => {
  let db: TestDatabase;
  let moduleId: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    moduleId = (await upsertModuleFromLaunch({ platformId: 'cache-site', contextId: 'CACHE1', deploymentId: '1', title: 'Cache Module', label: 'CACHE1', nrpsUrl: null, agsLineItemsUrl: null })).id;
  });

  beforeEach(() => clearModuleReadCache());

  afterAll(async () => {
    await db.close();
  });

  it('when many requests ask at once, then one load serves them all, and the next version loads again', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { loads };
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => readThroughModuleCache(moduleId, 'members', 'list', load)));
    expect(loads).toBe(1);
    expect(new Set(results).size).toBe(1);

    await markModuleViewChanged(moduleId, 'members');
    expect(await readThroughModuleCache(moduleId, 'members', 'list', load)).toEqual({ loads: 2 });
    expect(await readThroughModuleCache(moduleId, 'members', 'list', load)).toEqual({ loads: 2 });
  });

  it('when only the alerts change, then the held members are kept and the alerts are read again', async () => {
    const loads = { members: 0, alerts: 0 };
    const read = (part: 'members' | 'alerts') => readThroughModuleCache(moduleId, part, 'list', async () => ++loads[part]);
    await read('members');
    await read('alerts');
    await markModuleViewChanged(moduleId, 'alerts');
    await read('members');
    await read('alerts');
    expect(loads).toEqual({ members: 1, alerts: 2 });
  });

  it('when someone launches again with nothing new, then the members version stands; a new member or a changed name raises it', async () => {
    const membersVersion = async () => (await readModuleViewVersions(moduleId))!.members;
    const launch = (name: string, at: string) =>
      upsertMemberFromLaunch({ moduleId, userId: 'c1', name, givenName: '', familyName: '', email: '', launchRoles: ['Learner'], isStaff: false, at: new Date(at) }).then((l) => l.member);
    const start = await membersVersion();
    const first = await launch('Cai Cache', '2026-11-20T09:00:00Z');
    expect(await membersVersion()).toBe(start + 1);
    const again = await launch('Cai Cache', '2026-11-21T09:00:00Z');
    expect(await membersVersion()).toBe(start + 1);
    expect(again).toMatchObject({ id: first.id, name: 'Cai Cache', lastLaunchAt: new Date('2026-11-21T09:00:00Z'), firstLaunchAt: new Date('2026-11-20T09:00:00Z') });
    await launch('Cai Cached', '2026-11-22T09:00:00Z');
    expect(await membersVersion()).toBe(start + 2);
  });

  it('when a request that read the versions earlier asks after a newer version was loaded, then it gets the newer data and nothing is read again', async () => {
    let loads = 0;
    const read = () => readThroughModuleCache(moduleId, 'members', 'list', async () => ++loads);
    const earlier = (await getModuleById(moduleId))!;
    expect(await read()).toBe(1);
    await markModuleViewChanged(moduleId, 'members');
    expect(await read()).toBe(2);
    expect(await withViewVersionsOf(earlier, read)).toBe(2);
    expect(await read()).toBe(2);
  });

  it('when a load fails, then the failure is not kept and the next request loads again', async () => {
    await expect(readThroughModuleCache(moduleId, 'alerts', 'list', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(await readThroughModuleCache(moduleId, 'alerts', 'list', async () => ['alert'])).toEqual(['alert']);
  });

  it('when a caller tries to change what the cache handed out, then it fails instead of changing every later page', async () => {
    const held = await readThroughModuleCache(moduleId, 'analysis', 'module', async () => ({ rows: [{ level: 3 }, { level: 1 }] }));
    expect(() => held.rows.sort((a, b) => a.level - b.level)).toThrow(TypeError);
    expect(() => {
      held.rows[0]!.level = 9;
    }).toThrow(TypeError);
  });

  it('when the module is unknown, then every read goes to the loader', async () => {
    let loads = 0;
    const unknown = '0123456789abcdef01234567';
    await readThroughModuleCache(unknown, 'members', 'list', async () => ++loads);
    await readThroughModuleCache(unknown, 'members', 'list', async () => ++loads);
    expect(loads).toBe(2);
  });
});
