import { recomputeModuleAnalysis } from './module-analysis-service';

// New data (an import, a batch of xAPI statements, a sync) makes a module's stored analysis old. Rather than
// recompute on every batch, a module is recomputed once, a short while after the first batch of a burst.

const DEFAULT_DELAY_MS = 30_000;
const pending = new Map<string, NodeJS.Timeout>();

export interface RecomputeSoonOptions {
  now: () => Date;
  delayMs?: number;
  onError?: (err: unknown) => void;
}

/** Recomputes the module's analysis after `delayMs`; calls made before then add nothing. */
export function recomputeSoon(moduleId: string, opts: RecomputeSoonOptions): void {
  if (pending.has(moduleId)) return;
  const timer = setTimeout(() => {
    pending.delete(moduleId);
    recomputeModuleAnalysis(moduleId, opts.now()).catch((err: unknown) => opts.onError?.(err));
  }, opts.delayMs ?? DEFAULT_DELAY_MS);
  // A pending recomputation never keeps the process alive: the nightly job and the pages catch up after a restart.
  timer.unref();
  pending.set(moduleId, timer);
}

/** Drops recomputations not started yet, at shutdown (the database is about to close). */
export function cancelPendingRecomputes(): void {
  for (const timer of pending.values()) clearTimeout(timer);
  pending.clear();
}
