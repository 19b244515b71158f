import { Schema, model } from 'mongoose';

// A period with a known reason for absence (e.g. authorised absence): its days never count as disengagement.
const knownCauseSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    from: { type: String, required: true }, // YYYY-MM-DD, module time zone
    to: { type: String, required: true },
    reason: { type: String, required: true, maxlength: 500 },
    createdByUserId: { type: String, required: true },
    createdByName: { type: String, default: '' },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'waymark_known_causes' },
);
knownCauseSchema.index({ moduleId: 1, memberId: 1, from: 1 });

export const KnownCauseModel = model('KnownCause', knownCauseSchema);
