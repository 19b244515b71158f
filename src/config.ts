import { z } from 'zod';

// Every setting Waymark reads, parsed and typed once. Nothing else reads process.env.

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z
    .string()
    .url('PUBLIC_URL must be the absolute URL people and Moodle reach Waymark at, e.g. https://waymark.example.ac.uk')
    .default('http://localhost:3000')
    // One spelling everywhere: Moodle compares the registration's domain with its launch URL character by character.
    .transform((v) => {
      const url = new URL(v);
      return (url.origin + url.pathname).replace(/\/+$/, '');
    }),
  MONGODB_URI: z.string().optional(),
  EMBEDDED_DB_PATH: z.string().default('./data/mongodb'),
  LTI_KEY: z
    .string()
    .min(16, 'LTI_KEY must be at least 16 characters: it encrypts launch tokens')
    .default('waymark-development-key-change-me'),
  ADMIN_SECRET: z.string().min(12, 'ADMIN_SECRET must be at least 12 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  ROSTER_SYNC_MIN_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(5),
  ROSTER_SYNC_SCHEDULE_HOURS: z.coerce.number().min(0.1).default(6),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  JOBS_ENABLED: booleanFromEnv.default(true),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Waymark <waymark@localhost>'),
});

export type AppConfig = Readonly<{
  port: number;
  host: string;
  publicUrl: string;
  mongodbUri: string | undefined;
  embeddedDbPath: string;
  ltiKey: string;
  adminSecret: string | undefined;
  sessionIdleMinutes: number;
  rosterSyncMinIntervalMinutes: number;
  rosterSyncScheduleHours: number;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  nodeEnv: z.infer<typeof configSchema>['NODE_ENV'];
  jobsEnabled: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** True when browsers treat the public URL as a secure context (https, or http on localhost). */
  secureContext: boolean;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Waymark's configuration is not valid:\n${problems}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && c.LTI_KEY === 'waymark-development-key-change-me') {
    throw new ConfigError('LTI_KEY must be set to a long random secret in production.');
  }
  const url = new URL(c.PUBLIC_URL);
  const secureContext = url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return Object.freeze({
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL,
    mongodbUri: c.MONGODB_URI || undefined,
    embeddedDbPath: c.EMBEDDED_DB_PATH,
    ltiKey: c.LTI_KEY,
    adminSecret: c.ADMIN_SECRET,
    sessionIdleMinutes: c.SESSION_IDLE_MINUTES,
    rosterSyncMinIntervalMinutes: c.ROSTER_SYNC_MIN_INTERVAL_MINUTES,
    rosterSyncScheduleHours: c.ROSTER_SYNC_SCHEDULE_HOURS,
    logLevel: c.LOG_LEVEL,
    nodeEnv: c.NODE_ENV,
    jobsEnabled: c.JOBS_ENABLED,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    secureContext,
  });
}
