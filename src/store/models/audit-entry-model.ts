import { Schema, model } from 'mongoose';

// Append-only record of who looked at or exported whose data. Never updated; removed only by retention.
const auditEntrySchema = new Schema(
  {
    at: { type: Date, required: true },
    platformId: { type: String, required: true },
    moduleId: { type: Schema.Types.ObjectId, default: null },
    actorUserId: { type: String, required: true },
    actorRole: { type: String, required: true },
    learnerMemberId: { type: Schema.Types.ObjectId, default: null },
    action: { type: String, required: true }, // resource.verb, e.g. learner.view, learner.export, alert.update
    detail: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'waymark_audit', versionKey: false, minimize: false },
);
auditEntrySchema.index({ moduleId: 1, at: -1 });
auditEntrySchema.index({ platformId: 1, at: -1 });
auditEntrySchema.index({ learnerMemberId: 1, at: -1 });

export const AuditEntryModel = model('AuditEntry', auditEntrySchema);
