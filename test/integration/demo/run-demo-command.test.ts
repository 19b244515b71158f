import { spawn } from 'node:child_process';
import path from 'node:path';
import { TestBrowser } from '../../platform';
import { privateDatabase, type PrivateDatabase } from '../resilience/private-database';
import { freePort, waitUntil } from '../resilience/free-port';

// `npm run demo` as the README gives it (tsx scripts/demo/run-demo.ts), with a small cohort and its own database.

const REPO_ROOT = path.resolve(__dirname, '../../..');

describe('the demo command', () => {
  let db: PrivateDatabase;

  beforeAll(async () => {
    db = await privateDatabase();
    await db.start();
  }, 120_000);

  afterAll(async () => {
    await db.dispose();
  });

  it('when the demo runs, then it prints launch links that open Waymark through the demo Moodle, and Ctrl+C stops it cleanly', async () => {
    const port = await freePort();
    const platformPort = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo/run-demo.ts', '--learners', '20', '--platform-port', String(platformPort), '--files', path.join(db.dataDir, 'demo-files')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MONGODB_URI: db.uri, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitUntil('the demo says it is ready', async () => {
        if (child.exitCode !== null) throw new Error(output);
        return output.includes('Press Ctrl+C to stop.');
      }, 240_000, 500);
      expect(output).toContain('Open University Learning Analytics Dataset');
      const links = [...output.matchAll(/^\s+(http:\/\/127\.0\.0\.1:\d+\/course\/\S+)$/gm)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThanOrEqual(4);
      const teacher = await new TestBrowser().get(links[0]!);
      expect(teacher.status).toBe(200);
      expect(new URL(teacher.url).origin).toBe(`http://localhost:${port}`);
      expect(new URL(teacher.url).pathname).toBe('/app/module');

      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 300_000);
});
