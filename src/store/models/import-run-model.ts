import { Schema, model } from 'mongoose';

// Who undid the run and when; finishedAt stays null until its events are gone and the rollups rebuilt.
const importRunUndoSchema = new Schema(
  {
    byUserId: { type: String, default: null },
    byName: { type: String, default: '' },
    at: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    eventsRemoved: { type: Number, default: 0 },
  },
  { _id: false },
);

// One upload or command-line import: who brought in which file when, what came of it, and the first problems to fix.
const importRunSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    format: { type: String, required: true },
    source: { type: String, default: null }, // the engagement source the format feeds
    filename: { type: String, default: '' },
    byUserId: { type: String, default: null },
    byName: { type: String, default: '' },
    via: { type: String, enum: ['upload', 'cli'], required: true },
    status: { type: String, enum: ['running', 'done', 'failed'], required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    counts: {
      rows: { type: Number, default: 0 },
      imported: { type: Number, default: 0 },
      alreadyStored: { type: Number, default: 0 },
      skipped: { type: Number, default: 0 },
      unmatched: { type: Number, default: 0 },
      failed: { type: Number, default: 0 },
    },
    problems: { type: [{ line: Number, kind: String, text: String, _id: false }], default: [] },
    notes: { type: [String], default: [] },
    droppedColumns: { type: [String], default: [] },
    error: { type: String, default: null },
    // Echo360 events stored by earlier runs whose totals this run raised; null when not recorded (older or stopped runs).
    raisedTotals: { type: Number, default: null },
    undo: { type: importRunUndoSchema, default: null },
  },
  { collection: 'waymark_import_runs', versionKey: false },
);
importRunSchema.index({ moduleId: 1, startedAt: -1 });

export const ImportRunModel = model('ImportRun', importRunSchema);
