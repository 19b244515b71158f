import type { Response } from 'express';
import { currentLaunch, type CurrentLaunch } from '../launch-session';
import { canSeeMember, staffViewerFor, type StaffViewer } from '../../reports/staff-viewer';
import { errors } from '../../errors';
import { memberForStaffPage } from '../../store/cached-module-reads';
import type { Member } from '../../store/types';

/** The launch and what it lets this person see on staff pages. */
export async function staffViewerOf(res: Response): Promise<{ launch: CurrentLaunch; viewer: StaffViewer }> {
  const launch = currentLaunch(res);
  const viewer = await staffViewerFor({
    platformId: launch.session.platformId,
    userId: launch.session.userId,
    name: launch.session.displayName,
    roles: launch.roles,
    mentorScope: launch.session.mentorScope,
  });
  // Every staff page's navigation offers the platform-wide overview to named visa-compliance staff only.
  res.locals.showVisaOverview = viewer.seesVisa;
  return { launch, viewer };
}

/** Redirect after a POST back to a page of the launch, with a short notice key (never user text) in the URL. */
export function redirectWithNotice(res: Response, launch: CurrentLaunch, path: string, notice: string): void {
  const url = new URL(path, 'http://waymark.invalid');
  url.searchParams.set('ltik', launch.ltik);
  url.searchParams.set('done', notice);
  res.redirect(303, `${url.pathname}${url.search}${url.hash}`);
}

/** The member named in the URL, if this viewer may see them: someone outside the module or a mentor's scope is "not found". */
export async function visibleMemberOr404(launch: CurrentLaunch, viewer: StaffViewer, memberId: string): Promise<Member> {
  const member = await memberForStaffPage(launch.module.id, memberId);
  if (!member || !canSeeMember(viewer, member)) throw errors.notFound('learner');
  return member;
}
