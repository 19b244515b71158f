import { Schema, model } from 'mongoose';

// Whether a member submitted an assignment, and when. Never the grade: engagement is not assessment.
const submissionSchema = new Schema(
  {
    moduleId: { type: Schema.Types.ObjectId, required: true },
    assignmentId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    submitted: { type: Boolean, required: true },
    submittedAt: { type: Date, default: null },
    late: { type: Boolean, default: null },
    status: { type: String, default: '' },
    origin: { type: String, enum: ['ags', 'file', 'xapi'], required: true },
  },
  { timestamps: true, collection: 'waymark_submissions' },
);
submissionSchema.index({ moduleId: 1, assignmentId: 1, memberId: 1 }, { unique: true });
submissionSchema.index({ moduleId: 1, memberId: 1 });

export const SubmissionModel = model('Submission', submissionSchema);
