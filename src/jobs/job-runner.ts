import crypto from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { claimJob, ensureJobDocument, extendJobLease, releaseJob } from '../store/job-lock-repository';

// A small MongoDB-backed scheduler written here rather than agenda: agenda's current releases are ESM-only (we
// compile to CommonJS) and it is not tested on FerretDB, whose findAndModify is not atomic. Each job has one
// lease document in waymark_job_locks, so several app instances never run the same job at once.

export interface JobContext {
  /** Aborted when the runner stops or the lease is lost: long jobs check it between steps. */
  signal: AbortSignal;
  now(): Date;
}

export interface JobDefinition {
  name: string;
  everyMs: number;
  run(context: JobContext): Promise<void>;
  /** Delay before the very first run when the job has never run anywhere; default 0 (due at once). */
  firstRunDelayMs?: number;
}

export interface JobRunnerOptions {
  /** How often due jobs are looked for. */
  pollMs?: number;
  /** A lease outlives its holder by at most this; it is extended every third of it while the job runs. */
  leaseMs?: number;
  now?: () => Date;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

const DEFAULT_POLL_MS = 30_000;
const DEFAULT_LEASE_MS = 5 * 60_000;

export class JobRunner {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly running = new Map<string, Running>();
  private readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private options: Required<Omit<JobRunnerOptions, 'logger'>> & Pick<JobRunnerOptions, 'logger'>;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private ticking: Promise<void> = Promise.resolve();

  constructor(options: JobRunnerOptions = {}) {
    this.options = { pollMs: DEFAULT_POLL_MS, leaseMs: DEFAULT_LEASE_MS, now: () => new Date(), ...options };
  }

  registerJob(job: JobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`A job named ${job.name} is already registered.`);
    if (!(job.everyMs > 0)) throw new Error(`Job ${job.name} needs a positive interval.`);
    this.jobs.set(job.name, job);
  }

  /** Starts looking for due jobs now and every pollMs; options given here replace the constructor's. */
  start(options: JobRunnerOptions = {}): void {
    if (this.started) return;
    this.options = { ...this.options, ...options };
    this.started = true;
    this.schedule(0);
  }

  /** Stops polling, asks running jobs to stop, waits for them, and releases their leases. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    for (const r of this.running.values()) r.controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Runs a job now (if no instance is running it) and waits for it; false when another run holds the lease. */
  async runNow(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`No job named ${name}.`);
    const started = await this.claimAndStart(job, true);
    if (!started) return false;
    await started.done;
    return true;
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => this.schedule(this.options.pollMs));
    }, delayMs);
    // Waiting for the next poll must never keep the process alive on its own.
    this.timer.unref();
  }

  /** Starts every due job this instance can claim; runs are not awaited, so one slow job holds back no other. */
  private async tick(): Promise<void> {
    for (const job of this.jobs.values()) {
      if (!this.started) return;
      try {
        await this.claimAndStart(job, false);
      } catch (err) {
        this.options.logger?.error({ err, job: job.name }, 'could not check a scheduled job');
      }
    }
  }

  /** Claims the job's lease and starts it; `done` settles when the run has ended. */
  private async claimAndStart(job: JobDefinition, ignoreSchedule: boolean): Promise<{ done: Promise<void> } | null> {
    if (this.running.has(job.name)) return null;
    const now = this.options.now();
    await ensureJobDocument(job.name, new Date(now.getTime() + (job.firstRunDelayMs ?? 0)));
    const generation = await claimJob(job.name, this.owner, now, this.options.leaseMs, ignoreSchedule);
    if (generation === null) return null;
    const controller = new AbortController();
    const done = this.execute(job, generation, controller);
    this.running.set(job.name, { controller, done });
    return { done };
  }

  private async execute(job: JobDefinition, generation: number, controller: AbortController): Promise<void> {
    const heartbeat = setInterval(() => {
      const until = new Date(this.options.now().getTime() + this.options.leaseMs);
      extendJobLease(job.name, generation, until).then(
        (held) => {
          if (!held) {
            this.options.logger?.warn({ job: job.name }, 'job lease lost to another instance; stopping this run');
            controller.abort();
          }
        },
        (err: unknown) => this.options.logger?.warn({ err, job: job.name }, 'could not extend a job lease'),
      );
    }, Math.max(1000, Math.floor(this.options.leaseMs / 3)));
    heartbeat.unref();
    let error: string | null = null;
    try {
      this.options.logger?.info({ job: job.name }, 'scheduled job started');
      await job.run({ signal: controller.signal, now: this.options.now });
    } catch (err) {
      error = (err as Error).message || String(err);
      this.options.logger?.error({ err, job: job.name }, 'scheduled job failed');
    } finally {
      clearInterval(heartbeat);
      const finishedAt = this.options.now();
      await releaseJob(job.name, generation, { finishedAt, error, nextRunAt: new Date(finishedAt.getTime() + job.everyMs) }).catch((err: unknown) =>
        this.options.logger?.error({ err, job: job.name }, 'could not release a job lease; it expires by itself'),
      );
      this.running.delete(job.name);
    }
  }
}

/** The process's scheduler: register jobs on it at start-up; main.ts starts it when JOBS_ENABLED. */
export const jobRunner = new JobRunner();
