import { Schema, model } from 'mongoose';

// A student's report that data about them looks wrong (policy: students can report errors). Staff see it on the learner page.
const dataReportSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    source: { type: String, default: null },
    text: { type: String, required: true, maxlength: 2000 },
    status: { type: String, enum: ['new', 'seen', 'resolved'], default: 'new' },
    staffNote: { type: String, default: '' },
  },
  { timestamps: true, collection: 'waymark_data_reports' },
);
dataReportSchema.index({ moduleId: 1, memberId: 1, createdAt: -1 });

export const DataReportModel = model('DataReport', dataReportSchema);
