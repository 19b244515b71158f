import type { Model } from 'mongoose';
import type { RetiredIndex } from './database';
import { PlatformProfileModel } from './models/platform-profile-model';
import { ModuleModel } from './models/module-model';
import { MemberModel } from './models/member-model';
import { EngagementEventModel } from './models/engagement-event-model';
import { LaunchSessionModel } from './models/launch-session-model';
import { DailyActivityModel, RETIRED_DAILY_ACTIVITY_INDEXES } from './models/daily-activity-model';
import { AssignmentModel } from './models/assignment-model';
import { SubmissionModel } from './models/submission-model';
import { ModuleSettingsModel } from './models/module-settings-model';
import { AuditEntryModel } from './models/audit-entry-model';
import { DataReportModel } from './models/data-report-model';
import { ImportRunModel } from './models/import-run-model';
import { XapiCredentialModel } from './models/xapi-credential-model';
import { JobLockModel, JobClaimModel } from './models/job-lock-model';
import { AlertModel } from './models/alert-model';
import { KnownCauseModel } from './models/known-cause-model';
import { InterventionModel } from './models/intervention-model';
import { ModuleSnapshotModel, ModuleSummariesModel, MemberSnapshotModel } from './models/module-snapshot-model';
import { DigestSubscriptionModel } from './models/digest-subscription-model';

// Our models, for index creation at start (ltijs manages its own collections).
export const ALL_MODELS = [PlatformProfileModel, ModuleModel, MemberModel, EngagementEventModel, LaunchSessionModel, DailyActivityModel, AssignmentModel, SubmissionModel, ModuleSettingsModel, AuditEntryModel, DataReportModel, ImportRunModel, XapiCredentialModel, JobLockModel, JobClaimModel, AlertModel, KnownCauseModel, InterventionModel, ModuleSnapshotModel, ModuleSummariesModel, MemberSnapshotModel, DigestSubscriptionModel] as unknown as ReadonlyArray<Model<never>>;

// Indexes our models no longer declare, dropped at start.
export const RETIRED_INDEXES: readonly RetiredIndex[] = RETIRED_DAILY_ACTIVITY_INDEXES.map((name) => ({ model: DailyActivityModel as unknown as Model<never>, name }));
