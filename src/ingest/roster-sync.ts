import { fetchRoster } from '../lti/roster-client';
import { SCOPE } from '../lti/lti-vocabulary';
import type { ServiceRequestOptions } from '../lti/service-client';
import { applyRoster, type RosterApplyResult } from '../store/member-repository';
import { recordRosterSync } from '../store/module-repository';
import type { Module } from '../store/types';
import { withServiceToken, type AccessTokenSource } from './service-token';

export interface RosterSyncDeps extends AccessTokenSource {
  now(): Date;
  /** Timeouts, retries and backoff for the platform's service calls. */
  serviceOptions?: Partial<ServiceRequestOptions>;
}

export type RosterSyncOutcome = { ok: true; result: RosterApplyResult } | { ok: false; error: string };

/**
 * Replaces the module's roster with the platform's current one. On any failure the previous roster is kept
 * and the error is recorded for the module page's freshness line.
 */
export async function syncRoster(module: Module, deps: RosterSyncDeps): Promise<RosterSyncOutcome> {
  if (!module.nrpsUrl) {
    const error = 'The platform has not shared its roster service with Waymark (no Names and Roles claim in the launch).';
    await recordRosterSync(module.id, { at: deps.now(), error });
    return { ok: false, error };
  }
  try {
    const nrpsUrl = module.nrpsUrl;
    const roster = await withServiceToken(deps, module.platformId, [SCOPE.nrps], (token) => fetchRoster(nrpsUrl, token, deps.serviceOptions));
    const result = await applyRoster(module.id, roster, deps.now());
    await recordRosterSync(module.id, { at: deps.now(), error: null });
    return { ok: true, result };
  } catch (err) {
    const error = `Roster sync failed: ${(err as Error).message}`;
    await recordRosterSync(module.id, { at: deps.now(), error });
    return { ok: false, error };
  }
}

export function rosterIsStale(module: Module, now: Date, minIntervalMinutes: number): boolean {
  return !module.rosterSyncedAt || now.getTime() - module.rosterSyncedAt.getTime() >= minIntervalMinutes * 60_000;
}
