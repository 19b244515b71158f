import { Schema, model, type InferSchemaType } from 'mongoose';

// A person in a module. Members who leave are marked, never deleted, so their history stays explainable.
const memberSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true }, // LTI sub = NRPS user_id = Moodle user id
    name: { type: String, default: '' },
    givenName: { type: String, default: '' },
    familyName: { type: String, default: '' },
    email: { type: String, default: '' },
    sourcedId: { type: String, default: '' },
    rosterRoles: { type: [String], default: [] },
    launchRoles: { type: [String], default: [] },
    launchedAsStaff: { type: Boolean, default: false },
    notLearner: { type: Boolean, default: false },
    status: { type: String, enum: ['active', 'inactive', 'gone'], default: 'active' },
    inRosterSince: { type: Date, default: null },
    lastInRosterAt: { type: Date, default: null },
    leftAt: { type: Date, default: null },
    firstLaunchAt: { type: Date, default: null },
    lastLaunchAt: { type: Date, default: null },
    sponsoredVisa: { type: Boolean, default: false },
  },
  { timestamps: true, collection: 'waymark_members' },
);
memberSchema.index({ moduleId: 1, userId: 1 }, { unique: true });
memberSchema.index({ moduleId: 1, status: 1 });

export type MemberDoc = InferSchemaType<typeof memberSchema>;
export const MemberModel = model('Member', memberSchema);
