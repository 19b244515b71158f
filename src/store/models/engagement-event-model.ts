import { Schema, model, type InferSchemaType } from 'mongoose';

// Append-only record of one thing a member did; the unique key makes every import and resend idempotent.
const engagementEventSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    source: { type: String, enum: ['vle', 'launch', 'assignment', 'meeting', 'recording'], required: true },
    sourceId: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    count: { type: Number, default: 1 },
    minutes: { type: Number, default: 0 },
    detail: { type: Schema.Types.Mixed, default: {} },
    importId: { type: String, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'waymark_events', minimize: false },
);
engagementEventSchema.index({ moduleId: 1, source: 1, sourceId: 1 }, { unique: true });
engagementEventSchema.index({ moduleId: 1, memberId: 1, occurredAt: 1 });

export type EngagementEventDoc = InferSchemaType<typeof engagementEventSchema>;
export const EngagementEventModel = model('EngagementEvent', engagementEventSchema);
