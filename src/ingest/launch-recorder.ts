import type { LaunchClaims } from '../lti/launch-claims';
import { isStaffRole, mapRoles } from '../lti/role-mapping';
import { upsertModuleFromLaunch } from '../store/module-repository';
import { upsertMemberFromLaunch } from '../store/member-repository';
import { launchingMemberIdHint, noteMemberWrittenByLaunch } from '../store/cached-module-reads';
import { saveLaunchSession, type LaunchSession } from '../store/launch-session-repository';
import { holdLaunchSession } from '../store/held-launch-sessions';
import { withViewVersionsOf } from '../store/view-versions-scope';
import { storeOneEvent } from './daily-rollup';
import { isLearnerMember } from '../store/member-classification';
import type { Module, Member } from '../store/types';

export interface RecordedLaunch {
  module: Module;
  member: Member;
}

/** A verified launch: the module and member it names, one `launch` engagement event, and the session it opens. */
export async function recordLaunch(claims: LaunchClaims, platformId: string, sessionId: string, at: Date): Promise<RecordedLaunch> {
  const module = await upsertModuleFromLaunch({
    platformId,
    contextId: claims.contextId,
    deploymentId: claims.deploymentId,
    title: claims.contextTitle,
    label: claims.contextLabel,
    nrpsUrl: claims.nrpsUrl,
    agsLineItemsUrl: claims.agsLineItemsUrl,
  });
  const roles = mapRoles(claims.roles, claims.mentorScope);
  const knownMemberId = await withViewVersionsOf(module, () => launchingMemberIdHint(module.id, claims.userId));
  const { member, membersVersion } = await upsertMemberFromLaunch({
    moduleId: module.id,
    userId: claims.userId,
    name: claims.name,
    givenName: claims.givenName,
    familyName: claims.familyName,
    email: claims.email,
    launchRoles: claims.roles,
    isStaff: isStaffRole(roles),
    at,
    knownMemberId,
  });
  if (membersVersion !== null) noteMemberWrittenByLaunch(member, membersVersion);
  // The session id is unique per launch, so a reloaded page never counts twice.
  // Only learners' activity enters the analysis: a teacher opening Waymark leaves the stored figures current.
  await storeOneEvent(
    module.id,
    module.timeZone,
    { moduleId: module.id, memberId: member.id, source: 'launch', sourceId: sessionId, occurredAt: at, count: 1, minutes: 0, detail: {} },
    { affectsAnalysis: isLearnerMember(member) },
  );
  const session: LaunchSession = {
    sessionId,
    platformId,
    issuer: claims.issuer,
    clientId: claims.clientId,
    deploymentId: claims.deploymentId,
    userId: claims.userId,
    moduleId: module.id,
    memberId: member.id,
    roles: claims.roles,
    mentorScope: claims.mentorScope,
    displayName: claims.name,
    createdAt: at,
    lastSeenAt: at,
  };
  // Held under the members version the launch saw, or the one it raised by exactly one: any other writer's raise
  // has the next request read the session again.
  const seen = module.viewVersions.members;
  if (await saveLaunchSession(session)) holdLaunchSession(session, membersVersion === seen + 1 ? membersVersion : seen);
  return { module, member };
}
