import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type AppConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { buildApp, type WaymarkApp } from '../../src/app';
import { openTestDatabase } from './test-database';
import { cancelPendingRecomputes } from '../../src/reports/recompute-soon';

export interface RunningTool {
  baseUrl: string;
  /** The database URI with its name, for CLI child processes. */
  databaseUri: string;
  config: AppConfig;
  waymark: WaymarkApp;
  close(): Promise<void>;
}

/**
 * Starts Waymark on localhost with a fresh database. The test platform runs on 127.0.0.1, so the two are
 * different sites, as Moodle and a tool are.
 */
export async function startTestTool(env: Record<string, string> = {}, now?: () => Date): Promise<RunningTool> {
  const db = await openTestDatabase();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const config = loadConfig({
    PUBLIC_URL: `http://localhost:${port}`,
    MONGODB_URI: db.uri,
    LTI_KEY: 'test-lti-key-0123456789abcdef',
    ADMIN_SECRET: 'test-admin-secret',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    JOBS_ENABLED: 'false',
    ...env,
  });
  const waymark = await buildApp(config, createLogger(config.logLevel), now);
  server.on('request', waymark.app);
  return {
    baseUrl: config.publicUrl,
    databaseUri: db.uriWithDb,
    config,
    waymark,
    async close() {
      cancelPendingRecomputes();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
