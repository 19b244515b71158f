import { generateXapiSecret } from './xapi-credential-keys';
import { findXapiSecret, revokeXapiCredential, saveXapiCredential, type XapiCredential } from '../store/xapi-credential-repository';

export interface IssuedXapiCredential {
  credential: XapiCredential;
  /** Shown once, to the person who created it; only its hash is stored. */
  secret: string;
}

export async function issueXapiCredential(r: {
  scope: XapiCredential['scope'];
  platformId: string;
  moduleId: string;
  label: string;
  by: { userId: string; name: string };
  at: Date;
}): Promise<IssuedXapiCredential> {
  const fresh = await generateXapiSecret();
  const credential = await saveXapiCredential({
    keyId: fresh.keyId,
    scope: r.scope,
    platformId: r.platformId,
    moduleId: r.scope === 'module' ? r.moduleId : null,
    label: r.label,
    secretHash: fresh.secretHash,
    salt: fresh.salt,
    createdByUserId: r.by.userId,
    createdByName: r.by.name,
    createdAt: r.at,
  });
  return { credential, secret: fresh.secret };
}

/**
 * Revokes a key the caller may manage: this module's own keys, or the platform's keys when `mayManagePlatformKeys`.
 * Returns false for a key of another module or platform (revoking it would reach outside this module).
 */
export async function revokeManagedXapiCredential(keyId: string, scope: { platformId: string; moduleId: string; mayManagePlatformKeys: boolean }, by: string, at: Date): Promise<boolean> {
  const stored = await findXapiSecret(keyId);
  const c = stored?.credential;
  if (!c || c.platformId !== scope.platformId) return false;
  const allowed = c.scope === 'module' ? c.moduleId === scope.moduleId : scope.mayManagePlatformKeys;
  if (!allowed) return false;
  if (!c.revokedAt) await revokeXapiCredential(keyId, by, at);
  return true;
}
