import { TestBrowser, startTestPlatform, type BrowserPage, type TestPlatform } from '../../platform';
import { ROLE } from '../../support/lti-roles';
import { registerWithEachOther, type DemoRegistration } from '../../../scripts/demo/demo-registration';
import { privateDatabase, type PrivateDatabase } from '../resilience/private-database';
import { spawnWaymark, readiness, SPAWNED_ADMIN_SECRET, type SpawnedWaymark } from '../resilience/spawned-waymark';
import { freePort, waitUntil } from '../resilience/free-port';
import { startPinningProxy, type PinningProxy } from './pinning-proxy';

// Two Waymark processes on one database behind one public address, as N instances behind a load balancer run.

describe('two instances behind one address', () => {
  let db: PrivateDatabase;
  let proxy: PinningProxy;
  const instances: SpawnedWaymark[] = [];
  let platform: TestPlatform;
  let registration: DemoRegistration;
  const pages: BrowserPage[] = [];

  beforeAll(async () => {
    db = await privateDatabase();
    await db.start();
    const ports = [await freePort(), await freePort()];
    proxy = await startPinningProxy(ports);
    const env = { MONGODB_URI: db.uri, PUBLIC_URL: proxy.url, JOBS_ENABLED: 'true' };
    // Each instance is kept as soon as it runs, so afterAll stops it even when the other fails to start.
    await Promise.all(ports.map(async (port) => instances.push(await spawnWaymark(env, { port }))));
    instances.sort((a, b) => ports.indexOf(a.port) - ports.indexOf(b.port));
    for (const instance of instances) await waitUntil(`instance ${instance.port} is ready`, async () => (await readiness(instance.directUrl)) === 200, 60_000);

    platform = await startTestPlatform();
    registration = await registerWithEachOther(platform, proxy.url, SPAWNED_ADMIN_SECRET);
    platform.addCourse({ id: 'GEO201', title: 'Physical Geography' });
    platform.addMember('GEO201', { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    platform.addMember('GEO201', { userId: 's1', name: 'Sam Student', roles: ['Learner'] });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill()));
    await platform?.close();
    await proxy?.close();
    await db?.dispose();
  });

  const launch = (browser: TestBrowser, userId: string, roles: string[]) =>
    browser.launch(platform, { clientId: registration.clientId, deploymentId: registration.deploymentId, courseId: 'GEO201', userId, roles });

  it('when a launch starts on one instance and completes on the other, then the person lands on their page and the session works on either', async () => {
    proxy.pin({ '/lti/login': 0, '/lti/launch': 1 });
    const teacher = new TestBrowser();
    const modulePage = await launch(teacher, 't1', [ROLE.instructor]);
    pages.push(modulePage);
    expect(modulePage.status).toBe(200);
    expect(new URL(modulePage.url).pathname).toBe('/app/module');
    expect(modulePage.html).toContain('Physical Geography');
    expect(proxy.log.filter((r) => r.path === '/lti/login').map((r) => r.backend)).toEqual([0]);
    expect(proxy.log.filter((r) => r.path === '/lti/launch' && r.method === 'POST').map((r) => r.backend)).toEqual([1]);

    proxy.pin({});
    const servedBy = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const again = await teacher.get(modulePage.url);
      pages.push(again);
      expect(again.status).toBe(200);
      expect(again.html).toContain('Physical Geography');
      servedBy.add(proxy.log.at(-1)!.backend);
    }
    expect([...servedBy].sort()).toEqual([0, 1]);

    proxy.pin({ '/lti/login': 1, '/lti/launch': 0 });
    const panel = await launch(new TestBrowser(), 's1', [ROLE.learner]);
    pages.push(panel);
    expect(panel.status).toBe(200);
    expect(new URL(panel.url).pathname).toBe('/app/me');
  }, 120_000);

  it('when both instances run the scheduler, then each scheduled job runs on one of them only', async () => {
    const started = () =>
      instances
        .flatMap((i) => i.output().split('\n'))
        .filter((line) => line.includes('"msg":"scheduled job started"'))
        .map((line) => (JSON.parse(line) as { job: string }).job);
    await waitUntil('a scheduled job has started', async () => started().length > 0, 60_000);
    // Both instances looked for due jobs when they started; give a slower claim time to show up if it happened.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const runs = started();
    expect(runs.length).toBeGreaterThan(0);
    expect(new Set(runs).size).toBe(runs.length);
  }, 90_000);

  it('when the instances log every request at debug level, then no launch token appears in their logs', () => {
    const tokens = pages.map((p) => new URL(p.url).searchParams.get('ltik')).filter((t): t is string => Boolean(t));
    expect(tokens.length).toBeGreaterThan(0);
    const logs = instances.map((i) => i.output()).join('\n');
    expect(logs).toContain('ltik=[redacted]');
    for (const token of tokens) expect(logs).not.toContain(token);
  });
});
