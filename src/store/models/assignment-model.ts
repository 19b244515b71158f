import { Schema, model } from 'mongoose';

// An assignment a module expects: from AGS line items, from file imports (native Moodle assignments), or entered by staff.
const assignmentSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true }, // 'ags:<line item id>' or 'file:<normalised title>'
    title: { type: String, required: true },
    dueAt: { type: Date, default: null },
    dueAtSource: { type: String, enum: ['ags', 'file', 'staff', null], default: null },
    scoreMaximum: { type: Number, default: null },
    origin: { type: String, enum: ['ags', 'file', 'staff'], required: true },
  },
  { timestamps: true, collection: 'waymark_assignments' },
);
assignmentSchema.index({ moduleId: 1, key: 1 }, { unique: true });

export const AssignmentModel = model('Assignment', assignmentSchema);
