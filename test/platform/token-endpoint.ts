import { Router, urlencoded, type Response } from 'express';
import { ClientAssertionVerifier } from './client-assertion';
import { PATH } from './moodle-paths';
import type { PlatformContext } from './platform-context';
import { asyncRoute, stringParam } from './request-params';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** OAuth2 client_credentials with a signed client assertion, granting the requested scopes the tool holds. */
export function tokenRouter(ctx: PlatformContext, tokenUrl: string): Router {
  const router = Router();
  const verifier = new ClientAssertionVerifier(ctx.tools, [tokenUrl, ctx.issuer]);

  router.post(
    PATH.token,
    ctx.faults.guard('token'),
    urlencoded({ extended: false }),
    asyncRoute(async (req, res) => {
      const body: unknown = req.body;
      if (stringParam(body, 'grant_type') !== 'client_credentials') {
        return oauthError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      }
      if (stringParam(body, 'client_assertion_type') !== JWT_BEARER) {
        return oauthError(res, 400, 'invalid_request', `client_assertion_type must be ${JWT_BEARER}`);
      }
      const assertion = stringParam(body, 'client_assertion');
      const requested = (stringParam(body, 'scope') ?? '').split(' ').filter(Boolean);
      if (!assertion || requested.length === 0) {
        return oauthError(res, 400, 'invalid_request', 'client_assertion and scope are required');
      }
      const checked = await verifier.verify(assertion);
      if (!checked.ok) return oauthError(res, 401, 'invalid_client', checked.message);

      const granted = requested.filter((scope) => checked.tool.scopes.includes(scope));
      if (granted.length === 0) return oauthError(res, 400, 'invalid_scope', 'none of the requested scopes is granted to this tool');
      const { accessToken, expiresIn } = ctx.accessTokens.issue(checked.tool, granted);
      res.set('Cache-Control', 'no-store').json({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: expiresIn,
        scope: granted.join(' '),
      });
    }),
  );
  return router;
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}
