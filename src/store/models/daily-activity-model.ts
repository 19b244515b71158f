import { Schema, model } from 'mongoose';

// Rollup per module, member, day (module time zone) and source: what pages and analytics read. A member-day's
// figures for a source are the SUM of its rows (readers merge them, see daily-activity-repository):
// - the day's first event inserts the row rollupId(member, day, source), part '';
// - a later single event (another launch) inserts its own row, part = the event's source id, because updating
//   a row costs FerretDB v1 a scan of the whole collection while an insert is checked by a unique index;
// - a recomputation of the member-day (imports, rebuilds) folds them back into one row.
// Rows written before rollup ids have ObjectId ids and no part, so the _id type stays open.
const dailyActivitySchema = new Schema(
  {
    _id: { type: Schema.Types.Mixed },
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true }, // YYYY-MM-DD
    source: { type: String, enum: ['vle', 'launch', 'assignment', 'meeting', 'recording'], required: true },
    part: { type: String },
    count: { type: Number, required: true },
    minutes: { type: Number, required: true },
  },
  { collection: 'waymark_daily_activity', versionKey: false },
);
dailyActivitySchema.index({ moduleId: 1, memberId: 1, day: 1, source: 1, part: 1 }, { unique: true });
dailyActivitySchema.index({ moduleId: 1, day: 1 });

/** One row per member-day and source, before a day could hold parts. */
export const RETIRED_DAILY_ACTIVITY_INDEXES = ['moduleId_1_memberId_1_day_1_source_1'];

export const DailyActivityModel = model('DailyActivity', dailyActivitySchema);
