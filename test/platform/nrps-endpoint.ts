import { Router } from 'express';
import { fullNameOf, type Member } from './course-store';
import { fullRoleUri, SCOPE } from './lti-vocabulary';
import { membershipsUrl, PATH } from './moodle-paths';
import { nrpsNextLink, pageOf } from './paging';
import type { PlatformContext } from './platform-context';
import { intParam, refuse, stringParam } from './request-params';

const MEMBERSHIP_CONTAINER = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/** Names and Role Provisioning at Moodle's path: active enrolments only, short role names, limit/from paging. */
export function nrpsRouter(ctx: PlatformContext): Router {
  const router = Router();
  router.get(`${PATH.services}/CourseSection/:courseId/bindings/:typeId/memberships`, ctx.faults.guard('nrps'), (req, res) => {
    const grant = ctx.accessTokens.authorize(req, res, [SCOPE.nrps]);
    if (!grant) return;
    const courseId = req.params.courseId ?? '';
    if (String(grant.typeId) !== req.params.typeId) return refuse(res, 403, 'Access token was issued to another tool binding');
    const course = ctx.courses.findCourse(courseId);
    if (!course) return refuse(res, 404, `Not Found: Course ${courseId} doesn't exist`);

    const role = stringParam(req.query, 'role');
    const active = ctx.courses
      .membersOf(courseId)
      .filter((m) => m.status === 'Active' && (role === undefined || m.roles.some((r) => fullRoleUri(r) === fullRoleUri(role))));
    const page = pageOf(active, intParam(req.query, 'from', 0), intParam(req.query, 'limit', ctx.nrpsPageSize));
    const endpoint = membershipsUrl(ctx.issuer, courseId, grant.typeId);
    // Moodle's next link keeps only limit and from: a role filter is lost after the first page.
    if (page.hasNext) res.set('Link', nrpsNextLink(`${endpoint}?limit=${page.limit}&from=${page.from + page.limit}`));
    res.set('Content-Type', MEMBERSHIP_CONTAINER).send(
      JSON.stringify({
        id: endpoint,
        context: { id: course.id, label: course.label, title: course.title },
        members: page.items.map(presentMember),
      }),
    );
  });
  return router;
}

function presentMember(member: Member): Record<string, unknown> {
  const name = fullNameOf(member);
  return {
    status: 'Active',
    roles: [...member.roles],
    user_id: member.userId,
    lis_person_sourcedid: member.sourcedId ?? '',
    ...(name ? { name } : {}),
    ...(member.givenName ? { given_name: member.givenName } : {}),
    ...(member.familyName ? { family_name: member.familyName } : {}),
    ...(member.email ? { email: member.email } : {}),
  };
}
