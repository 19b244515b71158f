import crypto from 'node:crypto';
import { promisify } from 'node:util';

// Secrets for xAPI Basic auth: shown once, stored only as a salted scrypt hash.

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const HASH_BYTES = 32;
const KEY_ID_PREFIX = 'wmk_';

export interface NewXapiSecret {
  keyId: string;
  secret: string;
  salt: string;
  secretHash: string;
}

export async function generateXapiSecret(): Promise<NewXapiSecret> {
  const keyId = KEY_ID_PREFIX + crypto.randomBytes(9).toString('base64url');
  const secret = crypto.randomBytes(24).toString('base64url');
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(secret, salt, HASH_BYTES);
  return { keyId, secret, salt: salt.toString('hex'), secretHash: hash.toString('hex') };
}

// scrypt is slow on purpose; Moodle sends the same key every minute, so a correct secret is remembered briefly
// (by a digest, never the secret). Revocation is still read from the database on every request.
const VERIFIED_TTL_MS = 10 * 60_000;
const VERIFIED_LIMIT = 1000;
const verified = new Map<string, number>();

function digest(keyId: string, secret: string, secretHash: string): string {
  return crypto.createHash('sha256').update(`${keyId}\u0000${secret}\u0000${secretHash}`).digest('hex');
}

export async function secretMatches(keyId: string, secret: string, stored: { salt: string; secretHash: string }): Promise<boolean> {
  const key = digest(keyId, secret, stored.secretHash);
  const until = verified.get(key);
  if (until !== undefined && until > Date.now()) return true;
  const expected = Buffer.from(stored.secretHash, 'hex');
  const actual = await scrypt(secret, Buffer.from(stored.salt, 'hex'), expected.length || HASH_BYTES);
  const ok = expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
  if (ok) {
    if (verified.size >= VERIFIED_LIMIT) verified.clear();
    verified.set(key, Date.now() + VERIFIED_TTL_MS);
  }
  return ok;
}
