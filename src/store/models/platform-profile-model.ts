import { Schema, model, type InferSchemaType } from 'mongoose';

// Waymark's own facts about a platform registration; ltijs keeps the keys and endpoints in its 'platform' collection.
const platformProfileSchema = new Schema(
  {
    platformId: { type: String, required: true }, // ltijs's kid for the registration
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    name: { type: String, required: true },
    deploymentIds: { type: [String], default: [] },
    registeredBy: { type: String, enum: ['dynamic', 'manual', 'cli'], required: true },
    nrpsScope: { type: Boolean, default: true },
    visaComplianceUserIds: { type: [String], default: [] },
    retentionYearsAfterLeaving: { type: Number, default: 6 },
  },
  { timestamps: true, collection: 'waymark_platforms' },
);
platformProfileSchema.index({ platformId: 1 }, { unique: true });
platformProfileSchema.index({ issuer: 1, clientId: 1 }, { unique: true });

export type PlatformProfileDoc = InferSchemaType<typeof platformProfileSchema>;
export const PlatformProfileModel = model('PlatformProfile', platformProfileSchema);
