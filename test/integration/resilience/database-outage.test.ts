import { TestBrowser, startTestPlatform, type TestPlatform } from '../../platform';
import { ROLE } from '../../support/lti-roles';
import { registerWithEachOther } from '../../../scripts/demo/demo-registration';
import { privateDatabase, type PrivateDatabase } from './private-database';
import { spawnWaymark, readiness, SPAWNED_ADMIN_SECRET, type SpawnedWaymark } from './spawned-waymark';
import { waitUntil } from './free-port';

// Waymark runs as its own process on a database server this test starts, stops and starts again.

const OUTAGE_NOTICED_MS = 30_000;
const RECOVERY_MS = 60_000;

describe('when the database is unavailable', () => {
  let db: PrivateDatabase;
  let waymark: SpawnedWaymark;
  let platform: TestPlatform;

  beforeAll(async () => {
    db = await privateDatabase();
    platform = await startTestPlatform();
  });

  afterAll(async () => {
    await waymark?.kill();
    await platform.close();
    await db.dispose();
  });

  it('when the database is down at start, then the process stays up with a failing readiness probe and 503 pages, and serves once the database starts', async () => {
    waymark = await spawnWaymark({ MONGODB_URI: db.uri });

    const live = await fetch(`${waymark.directUrl}/health/live`);
    expect(live.status).toBe(200);
    expect(await readiness(waymark.directUrl)).toBe(503);
    const page = await fetch(`${waymark.directUrl}/app/module`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).not.toBeNull();
    expect(await page.text()).toContain('Waymark is starting');
    const launch = await fetch(`${waymark.directUrl}/lti/login`, { method: 'POST' });
    expect(launch.status).toBe(503);
    await waitUntil('the log says it keeps retrying', async () => waymark.output().includes('database unavailable at start; retrying'), 30_000);

    await db.start();
    await waitUntil('readiness turns 200', async () => (await readiness(waymark.directUrl)) === 200, RECOVERY_MS);
    const login = await fetch(`${waymark.directUrl}/admin/login`);
    expect(login.status).toBe(200);
    expect(waymark.child.exitCode).toBeNull();
  }, 120_000);

  it('when the database goes away mid-session, then pages answer 503 and readiness fails, and both recover by themselves when it returns', async () => {
    const registration = await registerWithEachOther(platform, `http://localhost:${waymark.port}`, SPAWNED_ADMIN_SECRET);
    platform.addCourse({ id: 'HIS101', title: 'Modern History' });
    platform.addMember('HIS101', { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    const browser = new TestBrowser();
    const modulePage = await browser.launch(platform, { clientId: registration.clientId, deploymentId: registration.deploymentId, courseId: 'HIS101', userId: 't1', roles: [ROLE.instructor] });
    expect(modulePage.status).toBe(200);
    expect(modulePage.html).toContain('Modern History');

    await db.stop();
    await waitUntil('readiness turns 503', async () => (await readiness(waymark.directUrl)) === 503, OUTAGE_NOTICED_MS);
    const during = await browser.get(modulePage.url);
    expect(during.status).toBe(503);
    expect(during.html).toContain('Waymark is briefly unavailable');
    expect(during.headers.get('retry-after')).toBe('30');
    expect((await fetch(`${waymark.directUrl}/health/live`)).status).toBe(200);

    await db.start();
    await waitUntil('readiness turns 200 again', async () => (await readiness(waymark.directUrl)) === 200, RECOVERY_MS);
    const after = await browser.get(modulePage.url);
    expect(after.status).toBe(200);
    expect(after.html).toContain('Modern History');
    expect(waymark.child.exitCode).toBeNull();
  }, 180_000);
});
