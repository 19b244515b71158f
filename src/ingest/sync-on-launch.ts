import { claimModuleSync, releaseModuleSync } from '../store/module-repository';
import type { Module } from '../store/types';
import { syncModuleFromPlatform } from './platform-sync';
import { rosterIsStale, type RosterSyncDeps } from './roster-sync';

// Staff expect the roster on the page a launch opens, so a staff launch syncs a stale module first (bounded, so
// a slow platform cannot block the launch). On a Monday morning many staff launch at once while the roster is
// stale: one sync serves them all. The launch that starts it waits for it; the others (in this process, or in
// another while it holds the claim on the module) show the roster as it stands, with its freshness line, rather
// than queue behind a sync that reads the whole roster and gradebook. After a failed sync the claim stands for a
// minute, so a platform that is down does not make every staff launch wait for its timeouts.

const WAIT_MS = 15_000;
// Longer than a sync takes with every retry; a process that died mid-sync frees the module after it.
const CLAIM_MS = 5 * 60_000;
// A platform that failed is not asked again by every staff launch (each would wait for its timeouts).
const RETRY_AFTER_FAILURE_MS = 60_000;

const running = new Map<string, Promise<void>>();

/** Waits for a promise at most `ms`; the work itself carries on (and records its own outcome) if slower. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

async function syncUnlessClaimed(module: Module, deps: RosterSyncDeps, minIntervalMinutes: number): Promise<void> {
  const claimed = await claimModuleSync(module.id, deps.now(), CLAIM_MS);
  if (!claimed) return;
  let failed = true;
  try {
    // Another process may have finished a sync between this launch's read of the module and the claim.
    if (!rosterIsStale(claimed, deps.now(), minIntervalMinutes)) failed = false;
    else {
      const outcome = await syncModuleFromPlatform(claimed, deps);
      failed = !outcome.roster.ok || !outcome.assignments.ok;
    }
  } finally {
    await releaseModuleSync(module.id, failed ? new Date(deps.now().getTime() + RETRY_AFTER_FAILURE_MS) : null);
  }
}

/** A staff launch's sync of a stale module: one per module at a time, waited for (up to WAIT_MS) by its launch alone. */
export async function syncOnStaffLaunch(module: Module, deps: RosterSyncDeps, o: { minIntervalMinutes: number; waitMs?: number }): Promise<void> {
  if (!rosterIsStale(module, deps.now(), o.minIntervalMinutes) || running.has(module.id)) return;
  const sync = syncUnlessClaimed(module, deps, o.minIntervalMinutes).finally(() => running.delete(module.id));
  running.set(module.id, sync);
  await settleWithin(sync, o.waitMs ?? WAIT_MS);
}
