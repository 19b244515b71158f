import { findPlatformProfile } from '../store/platform-repository';
import { findMemberById } from '../store/member-repository';
import { getModuleById } from '../store/module-repository';
import {
  findMemberRefsByUserId,
  listDigestSubscriptionsOfUser,
  listModulesOfPlatform,
  type DigestSubscriptionRecord,
  type MemberRef,
} from '../store/member-records-repository';
import { collectLearnerRecords, type LearnerRecords } from './learner-records';
import { learnerRecordSections } from './learner-records-document';
import { renderPdf, type PdfSection } from './pdf-document';
import { dateTimeText } from './record-wording';

// A subject access export (administrators): everything Waymark holds about one person, by their LTI user id,
// across every module of one platform, staff records included.

export const SUBJECT_ACCESS_NOTE =
  'Prepared for a subject access request: everything Waymark holds about this person in every module of this Moodle site, ' +
  'including what staff keep for themselves (prompts to get in touch, notes of supportive contacts, known reasons for ' +
  'absence, the sponsored-visa flag and who looked at the data). Engagement data is never part of assessment. Where a ' +
  'record might distress the person, it can be shared with them in person, for example by their Senior or Personal ' +
  'Tutor, so that it comes with context and support.';

export interface SubjectAccessExport {
  title: string;
  note: string;
  generatedAt: Date;
  platform: { name: string; issuer: string };
  moodleUserId: string;
  modules: LearnerRecords[];
  digestSubscriptions: Array<DigestSubscriptionRecord & { moduleTitle: string }>;
}

export interface PersonLookup {
  refs: MemberRef[];
  moduleIds: string[];
}

/** The person's member records among the platform's modules (none when the id is unknown there). */
export async function findPerson(platformId: string, userId: string): Promise<PersonLookup> {
  const moduleIds = (await listModulesOfPlatform(platformId)).map((m) => m.id);
  return { refs: await findMemberRefsByUserId(moduleIds, userId), moduleIds };
}

export async function buildSubjectAccessExport(platformId: string, userId: string, now: Date): Promise<SubjectAccessExport> {
  const [profile, person, modules] = await Promise.all([findPlatformProfile(platformId), findPerson(platformId, userId), listModulesOfPlatform(platformId)]);
  const records: LearnerRecords[] = [];
  for (const ref of person.refs) {
    const [module, member] = await Promise.all([getModuleById(ref.moduleId), findMemberById(ref.moduleId, ref.memberId)]);
    if (module && member) records.push(await collectLearnerRecords(module, member, 'subject-access', now));
  }
  const titles = new Map(modules.map((m) => [m.id, m.title || m.label || m.contextId]));
  const subscriptions = await listDigestSubscriptionsOfUser(person.moduleIds, userId);
  return {
    title: 'Subject access export',
    note: SUBJECT_ACCESS_NOTE,
    generatedAt: now,
    platform: { name: profile?.name ?? '', issuer: profile?.issuer ?? '' },
    moodleUserId: userId,
    modules: records,
    digestSubscriptions: subscriptions.map((s) => ({ ...s, moduleTitle: titles.get(s.moduleId) ?? '' })),
  };
}

export function subjectAccessJson(e: SubjectAccessExport): string {
  return JSON.stringify(e, null, 2);
}

export function subjectAccessPdf(e: SubjectAccessExport): Promise<Buffer> {
  const zone = e.modules[0]?.module.timeZone ?? 'Europe/London';
  const sections: PdfSection[] = [];
  if (e.modules.length === 0) sections.push({ heading: 'Nothing held', paragraphs: [`Waymark holds no member record for Moodle user ${e.moodleUserId} on this site.`] });
  for (const r of e.modules) {
    sections.push({ heading: `Module: ${r.module.title || r.module.label} (Moodle course ${r.module.courseId})`, part: true });
    sections.push(...learnerRecordSections(r));
  }
  if (e.digestSubscriptions.length > 0) {
    sections.push({
      heading: 'Weekly alert digest subscriptions (as staff)',
      table: {
        columns: [{ header: 'Module', width: 3 }, { header: 'Email', width: 3 }, { header: 'Last sent', width: 2 }],
        rows: e.digestSubscriptions.map((s) => [s.moduleTitle, s.email, dateTimeText(s.lastSentAt, zone)]),
        empty: 'None.',
      },
    });
  }
  return renderPdf(
    {
      title: e.title,
      subtitle: [`Moodle site: ${e.platform.name} (${e.platform.issuer})`, `Moodle user id: ${e.moodleUserId}`, `Modules: ${e.modules.length}`, `Generated: ${dateTimeText(e.generatedAt, zone)}`],
      note: e.note,
      sections,
    },
    e.generatedAt,
  );
}
