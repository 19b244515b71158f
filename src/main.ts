import http from 'node:http';
import { loadConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { openDatabase, ensureIndexes } from './store/database';
import { ALL_MODELS } from './store/all-models';
import { buildApp } from './app';

// Process entry: read config, connect the store, build the app, listen, shut down cleanly.
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({ uri: config.mongodbUri, embeddedPath: config.embeddedDbPath });
  if (db.embedded) logger.info({ uri: db.uri }, 'started the embedded MongoDB (set MONGODB_URI to use your own)');
  await ensureIndexes(ALL_MODELS);
  const { app } = await buildApp({ ...config, mongodbUri: db.uri }, logger);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info({ url: config.publicUrl, port: config.port }, 'Waymark is listening');

  // ltijs calls some callbacks without awaiting them: a failure there is logged, never fatal.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    server.close();
    server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 100));
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error('Waymark could not start:', err);
  process.exit(1);
});
