import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort, waitUntil } from './free-port';

// Waymark as production runs it: `src/main.ts` in its own process, configured only through its environment.

const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SPAWNED_ADMIN_SECRET = 'spawned-admin-secret';

export interface SpawnedWaymark {
  /** Where this process listens (its PUBLIC_URL may differ, e.g. behind a load balancer). */
  directUrl: string;
  port: number;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far (its pino log). */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL if still running; for cleanup. */
  kill(): Promise<void>;
}

export async function spawnWaymark(env: Record<string, string>, opts: { port?: number; waitForLive?: boolean } = {}): Promise<SpawnedWaymark> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://localhost:${port}`,
      LTI_KEY: 'spawned-lti-key-0123456789abcdef',
      ADMIN_SECRET: SPAWNED_ADMIN_SECRET,
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
      JOBS_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const directUrl = `http://127.0.0.1:${port}`;
  const spawned: SpawnedWaymark = {
    directUrl,
    port,
    child,
    output: () => output,
    exited,
    signal: (signal) => void child.kill(signal),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  if (opts.waitForLive ?? true) {
    const live = waitUntil(`Waymark on port ${port} is live`, async () => (await fetch(`${directUrl}/health/live`)).ok, 60_000);
    const died = exited.then((code) => {
      throw new Error(`Waymark exited with ${code} before it was live:\n${output}`);
    });
    await Promise.race([live, died]);
    died.catch(() => undefined);
  }
  return spawned;
}

export async function readiness(url: string): Promise<number> {
  return (await fetch(`${url}/health/ready`)).status;
}
