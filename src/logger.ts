import pino, { type Logger } from 'pino';

// Structured logs that never carry names, emails, tokens or statement bodies: those paths are censored.
const REDACTED_PATHS = [
  'req.query.ltik',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.ltik',
  '*.token',
  '*.id_token',
  '*.email',
  '*.name',
  '*.password',
  '*.secret',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'waymark' } });
}

/** Strips the launch token from a URL so it never reaches a log line. */
export function withoutLaunchToken(url: string): string {
  return url.replace(/([?&]ltik=)[^&]*/g, '$1[redacted]');
}
