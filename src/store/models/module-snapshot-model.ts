import { Schema, model } from 'mongoose';

// The latest analysis of a module, so pages read a stored result and never compute from raw events.
// Every read is by _id: the one lookup FerretDB (our CI database) answers without scanning the collection.

/** Module-wide figures (weeks, cohort bands, markers, thresholds), keyed by the module's id. */
const moduleSnapshotSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true }, // = moduleId
    moduleId: { type: Schema.Types.ObjectId, required: true },
    computedAt: { type: Date, required: true },
    today: { type: String, required: true },
    /** The module's data version this analysis read. */
    dataVersion: { type: Number, default: 0 },
    /** Which generation of member documents holds this analysis's per-member figures. */
    generation: { type: String, default: null },
    analysis: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'waymark_module_snapshots', versionKey: false, minimize: false },
);
moduleSnapshotSchema.index({ moduleId: 1 }, { unique: true });

export const ModuleSnapshotModel = model('ModuleSnapshot', moduleSnapshotSchema);

/** Every member's light summary in one document (one read for the dashboard of a large module), keyed by module id. */
const moduleSummariesSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true }, // = moduleId
    moduleId: { type: Schema.Types.ObjectId, required: true },
    summaries: { type: Schema.Types.Mixed, default: [] }, // MemberSummary[]
    hashes: { type: Schema.Types.Mixed, default: {} }, // memberId -> hash of that member's stored figures
  },
  { collection: 'waymark_module_summaries', versionKey: false, minimize: false },
);

export const ModuleSummariesModel = model('ModuleSummaries', moduleSummariesSchema);

/**
 * One member's weekly figures and assignment details, for the learner page and the student's panel. Written a
 * generation at a time in one insert (FerretDB commits each upsert on its own, which is far slower), keyed
 * `<generation>:<memberId>`; older generations are removed afterwards.
 */
const memberSnapshotSchema = new Schema(
  {
    _id: { type: String },
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    generation: { type: String, default: null },
    computedAt: { type: Date, required: true },
    hash: { type: String, default: '' },
    summary: { type: Schema.Types.Mixed, required: true },
    weeks: { type: Schema.Types.Mixed, default: [] },
    assignmentDetails: { type: Schema.Types.Mixed, default: [] },
  },
  { collection: 'waymark_member_snapshots', versionKey: false, minimize: false },
);
memberSnapshotSchema.index({ moduleId: 1, memberId: 1, computedAt: -1 });
memberSnapshotSchema.index({ moduleId: 1, generation: 1 });

export const MemberSnapshotModel = model('MemberSnapshot', memberSnapshotSchema);
