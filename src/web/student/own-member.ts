import { errors } from '../../errors';
import { findMemberById } from '../../store/member-repository';
import type { Member } from '../../store/types';
import type { CurrentLaunch } from '../launch-session';

/** The member record the signed launch names: a student's pages never take a member id from the request. */
export async function ownMember(launch: CurrentLaunch): Promise<Member> {
  const member = await findMemberById(launch.module.id, launch.session.memberId);
  if (!member) throw errors.notFound('panel');
  return member;
}
