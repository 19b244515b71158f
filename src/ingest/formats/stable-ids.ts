import { createHash } from 'node:crypto';

const SEPARATOR = '\u001f';

/** 128 bits of SHA-256 over the parts, hex: short, stable, and does not reveal the parts. */
export function contentHash(parts: readonly (string | number | null | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((part) => (part === null || part === undefined ? '' : String(part))).join(SEPARATOR))
    .digest('hex')
    .slice(0, 32);
}

// A fixed namespace for Waymark's name-based UUIDs (RFC 4122 version 5).
const WAYMARK_NAMESPACE = Buffer.from('5b0f3c1e7a2d4c8e9f1a6b3d2e4c7a90', 'hex');

/** RFC 4122 version-5 UUID of `name` in Waymark's namespace: same name, same UUID. */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha1').update(WAYMARK_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
