import { Schema, model } from 'mongoose';

// A supportive contact staff recorded; Waymark never contacts a student itself. Never shown to the student.
const interventionSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    method: { type: String, enum: ['email', 'phone', 'in-person', 'video', 'message', 'other'], required: true },
    contactedOn: { type: String, required: true }, // YYYY-MM-DD
    note: { type: String, default: '', maxlength: 4000 },
    outcome: { type: String, default: '', maxlength: 2000 },
    followUpOn: { type: String, default: null },
    recordedByUserId: { type: String, required: true },
    recordedByName: { type: String, default: '' },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'waymark_interventions' },
);
interventionSchema.index({ moduleId: 1, memberId: 1, contactedOn: -1 });

export const InterventionModel = model('Intervention', interventionSchema);
