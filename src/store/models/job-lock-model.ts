import { Schema, model } from 'mongoose';

// One document per scheduled job: its lease (who runs it, until when) and its last and next run.
const jobLockSchema = new Schema(
  {
    _id: { type: String, required: true }, // the job's name
    lockedBy: { type: String, default: null },
    lockedUntil: { type: Date, default: null },
    /** Raised by every claim; a claim is real only once its generation's fence document was inserted. */
    generation: { type: Number, default: 0 },
    lastStartedAt: { type: Date, default: null },
    lastRunAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    nextRunAt: { type: Date, default: null },
  },
  { collection: 'waymark_job_locks', versionKey: false },
);

export const JobLockModel = model('JobLock', jobLockSchema);

// The fence: one document per (job, generation), inserted by the claimant. An insert under a unique _id is atomic
// on MongoDB and on FerretDB alike, which FerretDB's findAndModify (a read, then a write) is not.
const jobClaimSchema = new Schema(
  {
    _id: { type: String, required: true }, // '<job name>#<generation>'
    job: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'waymark_job_claims', versionKey: false },
);
jobClaimSchema.index({ job: 1, at: -1 });

export const JobClaimModel = model('JobClaim', jobClaimSchema);
