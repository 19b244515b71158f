import type { Module } from '../store/types';
import { listXapiCredentials, type XapiCredential } from '../store/xapi-credential-repository';
import { instantFormatter } from './display-format';

// The xAPI page: where Moodle's Logstore xAPI plugin should send statements, and the keys that may send them.

export interface XapiCredentialRow {
  keyId: string;
  label: string;
  scope: string;
  createdBy: string;
  created: string;
  lastUsed: string;
  revoked: string | null;
  /** Platform-wide keys are revoked only by someone who could create them. */
  canRevoke: boolean;
}

export interface XapiCredentialsView {
  endpoint: string;
  statementsUrl: string;
  courseId: string;
  canCreatePlatformKeys: boolean;
  credentials: XapiCredentialRow[];
}

function present(c: XapiCredential, format: (d: Date) => string, canManagePlatformKeys: boolean): XapiCredentialRow {
  return {
    keyId: c.keyId,
    label: c.label || '—',
    scope: c.scope === 'platform' ? 'Every course on this Moodle site' : 'This module',
    createdBy: c.createdByName || '—',
    created: format(c.createdAt),
    lastUsed: c.lastUsedAt ? format(c.lastUsedAt) : 'Never',
    revoked: c.revokedAt ? format(c.revokedAt) : null,
    canRevoke: !c.revokedAt && (c.scope === 'module' || canManagePlatformKeys),
  };
}

export async function buildXapiCredentialsView(module: Module, publicUrl: string, canManagePlatformKeys: boolean): Promise<XapiCredentialsView> {
  const format = instantFormatter(module.timeZone);
  const credentials = await listXapiCredentials(module.platformId, module.id);
  return {
    endpoint: `${publicUrl}/xapi/`,
    statementsUrl: `${publicUrl}/xapi/statements`,
    courseId: module.contextId,
    canCreatePlatformKeys: canManagePlatformKeys,
    credentials: credentials.map((c) => present(c, format, canManagePlatformKeys)),
  };
}
