import { Schema, model } from 'mongoose';

// A prompt for a supportive contact, with its evidence and every change of state; never shown to the student.
const alertHistorySchema = new Schema(
  {
    at: { type: Date, required: true },
    kind: { type: String, enum: ['opened', 'refreshed', 'state', 'closed'], required: true },
    state: { type: String, enum: ['open', 'acknowledged', 'contacted', 'resolved', 'dismissed'], required: true },
    actorUserId: { type: String, default: null }, // null: Waymark itself
    actorName: { type: String, default: '' },
    note: { type: String, default: '' },
  },
  { _id: false },
);

const alertSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    rule: { type: String, enum: ['noEngagement', 'persistentLow', 'suddenDrop', 'sponsoredVisa'], required: true },
    audience: { type: String, enum: ['staff', 'visa-compliance'], required: true },
    key: { type: String, required: true },
    state: { type: String, enum: ['open', 'acknowledged', 'contacted', 'resolved', 'dismissed'], required: true },
    since: { type: String, required: true },
    evidence: {
      text: { type: String, default: '' },
      figures: { type: Schema.Types.Mixed, default: {} },
    },
    openedAt: { type: Date, required: true },
    evidenceUpdatedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    closedBy: { type: String, enum: ['waymark', 'staff', null], default: null },
    closeExplanation: { type: String, default: '' },
    dismissReason: { type: String, default: '' },
    history: { type: [alertHistorySchema], default: [] },
  },
  { timestamps: true, collection: 'waymark_alerts', minimize: false },
);
// One alert per episode: a second recomputation racing the first cannot open a duplicate.
alertSchema.index({ moduleId: 1, memberId: 1, audience: 1, key: 1 }, { unique: true });
alertSchema.index({ moduleId: 1, state: 1 });
alertSchema.index({ moduleId: 1, openedAt: -1 });

export const AlertModel = model('Alert', alertSchema);
