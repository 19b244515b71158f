import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { AppError } from '../errors';
import { decodeJwtPayload, parseLaunchClaims, type LaunchClaims } from './launch-claims';
import { mapRoles } from './role-mapping';

export interface LaunchGuardDeps {
  isKnownDeployment(issuer: string, clientId: string, deploymentId: string): Promise<boolean>;
  /** Called once ltijs has verified the id_token and issued the launch token, before the browser is redirected. */
  onVerifiedLaunch(claims: LaunchClaims, sessionId: string): Promise<void>;
  renderError(res: Response, error: AppError): void;
}

const refuse = (detail: string) => new AppError(400, 'launch-failed', 'Waymark cannot accept this launch', detail);

/**
 * Runs on the id_token POST before ltijs. Unverified claims are only ever used to REFUSE early (so a bad
 * launch stores nothing); they are trusted only after ltijs has verified the same token and redirects.
 */
export function launchGuard(deps: LaunchGuardDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const idToken: unknown = req.body?.id_token;
    if (req.method !== 'POST' || typeof idToken !== 'string') return next();
    try {
      const parsed = parseLaunchClaims(decodeJwtPayload(idToken));
      if (!parsed.ok) return next(); // ltijs rejects malformed tokens with its own reason
      const claims = parsed.claims;
      if (claims.messageType !== 'LtiResourceLinkRequest') {
        return deps.renderError(res, refuse(`Waymark opens from a course link only; this was a “${claims.messageType}” message. Add Waymark to the course as an activity and open it from there.`));
      }
      if (!(await deps.isKnownDeployment(claims.issuer, claims.clientId, claims.deploymentId))) {
        return deps.renderError(
          res,
          new AppError(403, 'deployment-unknown', 'This Moodle deployment is not registered with Waymark', `Deployment “${claims.deploymentId}” is not known for this site. Ask your learning technologist to add it to Waymark’s registration.`),
        );
      }
      if (mapRoles(claims.roles, claims.mentorScope).primary === null) {
        return deps.renderError(
          res,
          new AppError(403, 'no-role', 'Waymark has nothing for you here', 'Waymark shows engagement to the teachers of a module and to each student. Your role in this course is neither, so there is nothing to show you.'),
        );
      }
      const redirect = res.redirect.bind(res) as (url: string) => void;
      res.redirect = ((url: string) => {
        const ltik = new URL(url, 'http://placeholder').searchParams.get('ltik');
        const sessionId = ltik ? (decodeJwtPayload(ltik) as { s?: string } | null)?.s : undefined;
        if (!sessionId) return redirect(url);
        deps.onVerifiedLaunch(claims, sessionId).then(
          () => redirect(url),
          (err: unknown) => next(err),
        );
      }) as typeof res.redirect;
      next();
    } catch (err) {
      next(err);
    }
  };
}
