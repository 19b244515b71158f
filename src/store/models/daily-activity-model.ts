import { Schema, model } from 'mongoose';

// Rollup per module, member, day (module time zone) and source: what pages and analytics read. Its _id is
// rollupId(member, day, source), so a launch finds and bumps its row by _id alone (see daily-activity-repository).
// Rows written before that have ObjectId ids, so the type stays open.
const dailyActivitySchema = new Schema(
  {
    _id: { type: Schema.Types.Mixed },
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true }, // YYYY-MM-DD
    source: { type: String, enum: ['vle', 'launch', 'assignment', 'meeting', 'recording'], required: true },
    count: { type: Number, required: true },
    minutes: { type: Number, required: true },
  },
  { collection: 'waymark_daily_activity', versionKey: false },
);
dailyActivitySchema.index({ moduleId: 1, memberId: 1, day: 1, source: 1 }, { unique: true });
dailyActivitySchema.index({ moduleId: 1, day: 1 });

export const DailyActivityModel = model('DailyActivity', dailyActivitySchema);
