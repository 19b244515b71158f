import { Schema, model } from 'mongoose';

// The latest analysis of a module, so pages read a stored result and never compute from raw events.
const moduleSnapshotSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    computedAt: { type: Date, required: true },
    today: { type: String, required: true },
    analysis: { type: Schema.Types.Mixed, required: true }, // weeks, bands, markers, thresholds, calendar, freshness
  },
  { collection: 'waymark_module_snapshots', versionKey: false, minimize: false },
);
moduleSnapshotSchema.index({ moduleId: 1 }, { unique: true });

export const ModuleSnapshotModel = model('ModuleSnapshot', moduleSnapshotSchema);

// One member's indicators from that analysis; the dashboard reads the light fields, the learner page all of it.
const memberSnapshotSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    computedAt: { type: Date, required: true },
    hash: { type: String, required: true },
    summary: { type: Schema.Types.Mixed, required: true },
    weeks: { type: Schema.Types.Mixed, default: [] },
    assignmentDetails: { type: Schema.Types.Mixed, default: [] },
  },
  { collection: 'waymark_member_snapshots', versionKey: false, minimize: false },
);
memberSnapshotSchema.index({ moduleId: 1, memberId: 1 }, { unique: true });

export const MemberSnapshotModel = model('MemberSnapshot', memberSnapshotSchema);
