/** Key id and secret from an `Authorization: Basic …` header, or null when there is none or it is malformed. */
export function readBasicCredentials(header: string | undefined): { keyId: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const keyId = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  // Bounded so a silly header costs no scrypt work.
  if (!secret || keyId.length > 100 || secret.length > 200) return null;
  return { keyId, secret };
}
