import { Schema, model } from 'mongoose';

// One validated LTI launch: what the signed claims said, so every later request is judged by them alone. Its
// _id is the session id, so each request finds it by _id alone (on FerretDB v1 the only filter answered in SQLite
// rather than by decoding every session); sessions stored before that have ObjectId ids and are found by sessionId.
const launchSessionSchema = new Schema(
  {
    _id: { type: Schema.Types.Mixed },
    sessionId: { type: String, required: true }, // the state ltijs puts in the launch token (ltik)
    platformId: { type: String, required: true },
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    userId: { type: String, required: true },
    moduleId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    roles: { type: [String], default: [] },
    mentorScope: { type: [String], default: [] },
    displayName: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
  },
  { collection: 'waymark_launch_sessions' },
);
launchSessionSchema.index({ sessionId: 1 }, { unique: true });
launchSessionSchema.index({ lastSeenAt: 1 });

export const LaunchSessionModel = model('LaunchSession', launchSessionSchema);
