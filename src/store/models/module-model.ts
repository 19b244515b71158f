import { Schema, model, type InferSchemaType } from 'mongoose';

// A module is an LTI context under one platform registration.
const moduleSchema = new Schema(
  {
    platformId: { type: String, required: true },
    contextId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    title: { type: String, default: '' },
    label: { type: String, default: '' },
    timeZone: { type: String, default: 'Europe/London' },
    nrpsUrl: { type: String, default: null },
    agsLineItemsUrl: { type: String, default: null },
    rosterSyncedAt: { type: Date, default: null },
    rosterSyncError: { type: String, default: null },
    assignmentsSyncedAt: { type: Date, default: null },
    assignmentsSyncError: { type: String, default: null },
    /** Until when one process's launch-time sync holds the module: staff launching meanwhile start no other. */
    syncClaimedUntil: { type: Date, default: null },
    /** Raised whenever engagement data arrives, so a stored analysis can tell it is out of date without clocks. */
    dataVersion: { type: Number, default: 0 },
    /** Raised after each write to what pages read in bulk, one per part: see module-read-cache. */
    viewVersions: {
      members: { type: Number, default: 0 },
      alerts: { type: Number, default: 0 },
      analysis: { type: Number, default: 0 },
    },
  },
  { timestamps: true, collection: 'waymark_modules' },
);
moduleSchema.index({ platformId: 1, contextId: 1 }, { unique: true });

export type ModuleDoc = InferSchemaType<typeof moduleSchema>;
export const ModuleModel = model('Module', moduleSchema);
