import { Router, urlencoded, type Request, type Response } from 'express';
import { isVisibleToTool } from './course-store';
import { buildIdTokenClaims, signIdToken } from './id-token-builder';
import { resourceLinkIdOf, type PendingLaunch } from './launch-store';
import { PATH } from './moodle-paths';
import { autoSubmitPage, PAGE_CSP } from './html-page';
import type { PlatformContext } from './platform-context';
import { asyncRoute, refuse, stringParam } from './request-params';

/** What Moodle's auth.php insists on before it answers with an id_token. */
const REQUIRED_VALUES = { scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none' } as const;

type Checked = { ok: true; launch: PendingLaunch; redirectUri: string; nonce: string; state: string } | { ok: false; message: string };

/** The OIDC authorization endpoint: checks the tool's auth request and posts a signed id_token back to it. */
export function oidcAuthorizationRouter(ctx: PlatformContext): Router {
  const router = Router();
  const handle = asyncRoute(async (req: Request, res: Response) => {
    const params: unknown = req.method === 'GET' ? req.query : req.body;
    const checked = checkAuthRequest(ctx, params);
    if (!checked.ok) return refuse(res, 400, checked.message);

    const { launch } = checked;
    ctx.launches.redeem(stringParam(params, 'lti_message_hint') ?? '');
    const { options } = launch;
    const resourceLinkId = resourceLinkIdOf(options);
    const claims = buildIdTokenClaims({
      issuer: ctx.issuer,
      platformName: ctx.platformName,
      launch,
      course: ctx.courses.course(options.courseId),
      member: ctx.courses.member(options.courseId, options.userId),
      lineItem: ctx.courses
        .lineItemsOf(options.courseId)
        .find((item) => item.resourceLinkId === resourceLinkId && isVisibleToTool(item, launch.tool.typeId)),
      nonce: checked.nonce,
    });
    const idToken = await signIdToken(claims, ctx.keys, options.tamper);
    const state = options.tamper?.stateOverride ?? checked.state;
    res
      .set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' })
      .type('html')
      .send(autoSubmitPage(ctx.issuer, 'Launching tool', { action: checked.redirectUri, fields: { id_token: idToken, state } }));
  });
  router.get(PATH.auth, handle);
  router.post(PATH.auth, urlencoded({ extended: false }), handle);
  return router;
}

function checkAuthRequest(ctx: PlatformContext, params: unknown): Checked {
  for (const [name, expected] of Object.entries(REQUIRED_VALUES)) {
    const actual = stringParam(params, name);
    if (actual !== expected) return { ok: false, message: `Invalid request: ${name} must be '${expected}' (got '${actual ?? ''}')` };
  }
  const nonce = stringParam(params, 'nonce');
  const state = stringParam(params, 'state');
  if (!nonce) return { ok: false, message: 'Invalid request: nonce is required' };
  if (!state) return { ok: false, message: 'Invalid request: state is required' };

  const clientId = stringParam(params, 'client_id') ?? '';
  const tool = ctx.tools.find(clientId);
  if (!tool) return { ok: false, message: `Unauthorized client: unknown client_id '${clientId}'` };
  if (!tool.active) return { ok: false, message: `Unauthorized client: tool '${clientId}' is pending; an administrator must activate it` };

  const redirectUri = stringParam(params, 'redirect_uri') ?? '';
  if (!tool.redirectUris.includes(redirectUri)) {
    return { ok: false, message: `Invalid request: redirect_uri '${redirectUri}' is not registered for this tool` };
  }

  const launch = ctx.launches.find(stringParam(params, 'lti_message_hint') ?? '');
  if (!launch) return { ok: false, message: 'Invalid request: unknown or already used lti_message_hint' };
  if (launch.tool.clientId !== clientId) return { ok: false, message: 'Invalid request: lti_message_hint was issued to another client' };
  if (stringParam(params, 'login_hint') !== launch.options.userId) {
    return { ok: false, message: 'Access denied: login_hint does not match the user who launched' };
  }
  return { ok: true, launch, redirectUri, nonce, state };
}
