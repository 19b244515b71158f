import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import {
  getModuleById,
  markModuleDataChanged,
  raiseModuleViewVersion,
  recordAssignmentSync,
  recordRosterSync,
  upsertModuleFromLaunch,
} from '../../../src/store/module-repository';
import { upsertMemberFromLaunch } from '../../../src/store/member-repository';
import { setMemberNotLearner, setMemberSponsoredVisa } from '../../../src/store/member-flags-repository';
import { MemberModel } from '../../../src/store/models/member-model';
import { findPlatformProfile, savePlatformProfile, setVisaComplianceStaff } from '../../../src/store/platform-repository';
import { changeAlertState, findAlert, listAlertsForReconciliation, markMemberAlertsContacted, openAlerts } from '../../../src/store/alert-repository';

// Launches, syncs and imports write one module's document at the same moment; a launch and staff write one member;
// staff and a recomputation write one alert. On FerretDB v1 an update rewrites the whole document from a copy read
// just before, so without care one of two simultaneous writes is lost.

describe('writes to one document at the same moment', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.close();
  });

  const launchInto = (contextId: string, title = `Course ${contextId}`) =>
    upsertModuleFromLaunch({ platformId: 'at-once-site', contextId, deploymentId: '1', title, label: contextId, nrpsUrl: null, agsLineItemsUrl: null });

  it('when launches raise its versions while a sync and an import record theirs, then every write is kept', async () => {
    const module = await launchInto('ONCE1');
    const at = new Date('2026-11-24T08:00:00Z');
    await Promise.all([
      ...Array.from({ length: 12 }, () => raiseModuleViewVersion(module.id, 'members')),
      ...Array.from({ length: 5 }, () => raiseModuleViewVersion(module.id, 'alerts')),
      recordRosterSync(module.id, { at, error: null }),
      recordAssignmentSync(module.id, { at, error: null }),
      ...Array.from({ length: 3 }, () => markModuleDataChanged(module.id)),
      launchInto('ONCE1', 'Course ONCE1, renamed'),
    ]);
    const stored = (await getModuleById(module.id))!;
    expect({
      members: stored.viewVersions.members,
      alerts: stored.viewVersions.alerts,
      rosterSyncedAt: stored.rosterSyncedAt,
      assignmentsSyncedAt: stored.assignmentsSyncedAt,
      dataVersion: stored.dataVersion,
      title: stored.title,
    }).toEqual({ members: 12, alerts: 5, rosterSyncedAt: at, assignmentsSyncedAt: at, dataVersion: 3, title: 'Course ONCE1, renamed' });
  });

  it('when each raise of a version returns the version it made, then no two raises made the same one', async () => {
    const module = await launchInto('ONCE2');
    const versions = await Promise.all(Array.from({ length: 10 }, () => raiseModuleViewVersion(module.id, 'members')));
    expect([...versions].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('when the first launches into a new module race, then there is one module and each launch gets it', async () => {
    const modules = await Promise.all(Array.from({ length: 6 }, () => launchInto('ONCE3')));
    expect(new Set(modules.map((m) => m.id)).size).toBe(1);
  });

  it('when a person launches while staff set both flags on them, then the launches and both flags are kept', async () => {
    const module = await launchInto('ONCE4');
    const at = new Date('2026-11-24T09:00:00Z');
    const launch = (name: string, knownMemberId?: string) =>
      upsertMemberFromLaunch({ moduleId: module.id, userId: 'u1', name, givenName: name, familyName: 'One', email: 'u1@example.ac.uk', launchRoles: ['Learner'], isStaff: false, at, knownMemberId });
    const { member } = await launch('First');
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => launch(`Name ${i}`, member.id)),
      setMemberSponsoredVisa(module.id, member.id, true),
      setMemberNotLearner(module.id, member.id, true),
      launch('Last', member.id),
    ]);
    const stored = (await MemberModel.findById(member.id).lean())!;
    expect({ sponsoredVisa: stored.sponsoredVisa, notLearner: stored.notLearner, name: stored.name }).toEqual({ sponsoredVisa: true, notLearner: true, name: 'Last' });
  });

  it('when a person the launch could not tell apart from a newcomer launches while staff set a flag on them, then both flags are kept', async () => {
    const module = await launchInto('ONCE6');
    const at = new Date('2026-11-24T09:30:00Z');
    // No knownMemberId: as after a restart, the launch tries an insert, meets the member, and updates them.
    const launch = (name: string) =>
      upsertMemberFromLaunch({ moduleId: module.id, userId: 'u6', name, givenName: name, familyName: 'Six', email: 'u6@example.ac.uk', launchRoles: ['Learner'], isStaff: false, at });
    const { member } = await launch('First');
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => launch(`Name ${i}`)),
      setMemberSponsoredVisa(module.id, member.id, true),
      setMemberNotLearner(module.id, member.id, true),
      ...Array.from({ length: 6 }, (_, i) => launch(`Later ${i}`)),
    ]);
    const stored = (await MemberModel.findById(member.id).lean())!;
    expect({ sponsoredVisa: stored.sponsoredVisa, notLearner: stored.notLearner }).toEqual({ sponsoredVisa: true, notLearner: true });
  });

  it('when administrators name several visa-compliance staff at the same moment, then every one is named and each is told so', async () => {
    await savePlatformProfile({ platformId: 'at-once-site', issuer: 'https://once.example', clientId: 'once', name: 'Once', registeredBy: 'cli', deploymentIds: ['1'] });
    const told = await Promise.all(['v1', 'v2', 'v3', 'v4'].map((userId) => setVisaComplianceStaff('at-once-site', userId, true)));
    expect(told).toEqual([true, true, true, true]);
    expect([...(await findPlatformProfile('at-once-site'))!.visaComplianceUserIds].sort()).toEqual(['v1', 'v2', 'v3', 'v4']);
  });

  it('when two staff change an alert while a third records a contact, then the alert keeps all three entries', async () => {
    const module = await launchInto('ONCE5');
    const at = new Date('2026-11-24T10:00:00Z');
    const { member } = await upsertMemberFromLaunch({ moduleId: module.id, userId: 'u2', name: 'Two', givenName: 'Two', familyName: 'Two', email: 'u2@example.ac.uk', launchRoles: ['Learner'], isStaff: false, at });
    const evidence = { text: 'No engagement for 15 days.', figures: {} };
    await openAlerts(module.id, [{ memberId: member.id, rule: 'noEngagement', audience: 'staff', key: 'noEngagement:2026-11-09', since: '2026-11-09', evidence }], at);
    const [alert] = await listAlertsForReconciliation(module.id);
    await Promise.all([
      changeAlertState(module.id, alert!.id, { state: 'acknowledged', note: 'Seen by A' }, { userId: 'ta', name: 'A' }, at),
      changeAlertState(module.id, alert!.id, { state: 'acknowledged', note: 'Seen by B' }, { userId: 'tb', name: 'B' }, at),
      markMemberAlertsContacted(module.id, member.id, ['staff'], { userId: 'tc', name: 'C' }, 'Emailed', at),
    ]);
    const notes = (await findAlert(module.id, alert!.id))!.history.map((h) => h.note).sort();
    expect(notes).toEqual(['Emailed', 'No engagement for 15 days.', 'Seen by A', 'Seen by B']);
  });
});
