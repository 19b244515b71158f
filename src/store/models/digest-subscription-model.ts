import { Schema, model } from 'mongoose';

// A staff member's opt-in to the weekly digest of new alerts in one module; off unless they choose it.
const digestSubscriptionSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, default: '' },
    lastSentAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'waymark_digest_subscriptions' },
);
digestSubscriptionSchema.index({ moduleId: 1, userId: 1 }, { unique: true });

export const DigestSubscriptionModel = model('DigestSubscription', digestSubscriptionSchema);
