import { Schema, model } from 'mongoose';

// A Basic-auth key for POST /xapi/statements. Only a salted scrypt hash of the secret is kept; the key id is the _id,
// the one filter FerretDB looks up without scanning.
const xapiCredentialSchema = new Schema(
  {
    _id: { type: String, required: true }, // the key id, shown to staff and sent by Moodle as the Basic user name
    scope: { type: String, enum: ['module', 'platform'], required: true },
    platformId: { type: String, required: true },
    moduleId: { type: Schema.Types.ObjectId, default: null }, // null for a platform-wide key
    label: { type: String, default: '' },
    secretHash: { type: String, required: true },
    salt: { type: String, required: true },
    createdByUserId: { type: String, required: true },
    createdByName: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedByUserId: { type: String, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { collection: 'waymark_xapi_credentials', versionKey: false },
);
xapiCredentialSchema.index({ platformId: 1, moduleId: 1 });

export const XapiCredentialModel = model('XapiCredential', xapiCredentialSchema);
