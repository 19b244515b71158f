import { Schema, model } from 'mongoose';

// What a module has chosen: its teaching calendar, markers and minimum, alert thresholds, and what students are told.
const moduleSettingsSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    calendar: {
      timeZone: { type: String, default: 'Europe/London' },
      start: { type: String, default: null },
      end: { type: String, default: null },
      nonTeachingWeeks: { type: [{ start: String, end: String, label: String, _id: false }], default: [] },
    },
    markers: { type: Schema.Types.Mixed, default: null }, // ModuleMarkers or null for the defaults
    thresholds: { type: Schema.Types.Mixed, default: {} }, // Partial<AlertThresholds>
    expectationsText: { type: String, default: '' },
    contactText: { type: String, default: '' },
    updatedBy: { type: String, default: null },
  },
  { timestamps: true, collection: 'waymark_module_settings', minimize: false },
);
moduleSettingsSchema.index({ moduleId: 1 }, { unique: true });

export const ModuleSettingsModel = model('ModuleSettings', moduleSettingsSchema);
