import type { Request, Response } from 'express';
import type { WaymarkRole } from '../lti/role-mapping';
import { currentLaunch } from './launch-session';

const LANDING: Record<WaymarkRole, string> = {
  staff: '/app/module',
  mentor: '/app/module',
  student: '/app/me',
  designer: '/app/overview',
  admin: '/app/overview',
};

/** After a verified launch, each role lands on its own page. */
export function landOnRolePage(_req: Request, res: Response): void {
  const launch = currentLaunch(res);
  const target = launch.roles.primary ? LANDING[launch.roles.primary] : '/app/overview';
  res.redirect(303, `${target}?ltik=${encodeURIComponent(launch.ltik)}`);
}
