import { trusted } from 'mongoose';
import { JobClaimModel, JobLockModel } from './models/job-lock-model';
import { isDuplicateKey } from './duplicate-key';

export interface JobState {
  name: string;
  lockedBy: string | null;
  lockedUntil: Date | null;
  generation: number;
  lastStartedAt: Date | null;
  lastRunAt: Date | null;
  lastError: string | null;
  nextRunAt: Date | null;
}


function toState(d: Record<string, unknown>): JobState {
  return {
    name: String(d._id),
    lockedBy: (d.lockedBy as string | null) ?? null,
    lockedUntil: (d.lockedUntil as Date | null) ?? null,
    generation: Number(d.generation ?? 0),
    lastStartedAt: (d.lastStartedAt as Date | null) ?? null,
    lastRunAt: (d.lastRunAt as Date | null) ?? null,
    lastError: (d.lastError as string | null) ?? null,
    nextRunAt: (d.nextRunAt as Date | null) ?? null,
  };
}

/** Creates the job's document on first sight; another instance creating it at the same moment is fine. */
export async function ensureJobDocument(name: string, firstRunAt: Date): Promise<void> {
  try {
    await JobLockModel.collection.insertOne({ _id: name, lockedBy: null, lockedUntil: null, generation: 0, lastStartedAt: null, lastRunAt: null, lastError: null, nextRunAt: firstRunAt } as never);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

export async function getJobState(name: string): Promise<JobState | null> {
  const doc = await JobLockModel.findById(name).lean();
  return doc ? toState(doc as Record<string, unknown>) : null;
}

/**
 * Claims the job's lease when it is free (never held, released, or expired) and, unless `ignoreSchedule`, due.
 * Returns the claim's generation, or null when another instance holds or just took the job. First the fence
 * document of the next generation is inserted (atomic everywhere, so one claimant per generation); then the
 * lease is taken with a findOneAndUpdate that also requires the generation to be unchanged.
 */
export async function claimJob(name: string, owner: string, now: Date, leaseMs: number, ignoreSchedule: boolean): Promise<number | null> {
  const current = await getJobState(name);
  if (!current) return null;
  const free = !current.lockedUntil || current.lockedUntil.getTime() < now.getTime();
  const due = ignoreSchedule || !current.nextRunAt || current.nextRunAt.getTime() <= now.getTime();
  if (!free || !due) return null;
  const generation = current.generation + 1;
  try {
    await JobClaimModel.collection.insertOne({ _id: `${name}#${generation}`, job: name, by: owner, at: now } as never);
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
  const claimed = await JobLockModel.findOneAndUpdate(
    {
      _id: name,
      generation: current.generation,
      $or: [{ lockedUntil: null }, { lockedUntil: trusted({ $lt: now }) }],
    },
    { $set: { lockedBy: owner, lockedUntil: new Date(now.getTime() + leaseMs), lastStartedAt: now, generation } },
    { new: true },
  ).lean();
  return claimed ? generation : null;
}

/** Extends a held lease; false means the lease was lost (it expired and another instance claimed the job). */
export async function extendJobLease(name: string, generation: number, until: Date): Promise<boolean> {
  const res = await JobLockModel.updateOne({ _id: name, generation }, { $set: { lockedUntil: until } });
  return res.matchedCount > 0;
}

/** Ends a lease: records the run (when there was one) and when the job is next due. */
export async function releaseJob(name: string, generation: number, outcome: { finishedAt: Date | null; error: string | null; nextRunAt: Date }): Promise<void> {
  const set: Record<string, unknown> = { lockedBy: null, lockedUntil: null, nextRunAt: outcome.nextRunAt };
  if (outcome.finishedAt) {
    set.lastRunAt = outcome.finishedAt;
    set.lastError = outcome.error;
  }
  await JobLockModel.updateOne({ _id: name, generation }, { $set: set });
  // Older fences are no longer needed to decide anything.
  await JobClaimModel.deleteMany({ job: name, at: trusted({ $lt: new Date(Date.now() - 24 * 3_600_000) }) });
}
