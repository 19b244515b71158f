import type { Express, Request, Response, NextFunction } from 'express';
import { Provider as lti, type LtijsPlatform, type PlatformRegistration } from 'ltijs';
import { LaunchTokenStore } from './launch-token-store';
import type { AppConfig } from '../config';
import type { AppError } from '../errors';
import { translateLtijsError } from './ltijs-errors';

export const LTI_ROUTES = {
  login: '/lti/login',
  launch: '/lti/launch',
  keys: '/lti/keys',
  register: '/lti/register',
} as const;

export interface LtiGatewayHooks {
  /** After ltijs verified a launch and issued its token: land the person on their page. */
  onLaunch(req: Request, res: Response): Promise<void> | void;
  renderError(res: Response, error: AppError): void;
}

export interface LtiGateway {
  /** The ltijs express app (login, launch, keyset routes and the ltik session check); our launch-only routes mount on it. */
  app: Express;
  registerPlatform(p: PlatformRegistration): Promise<{ platformId: string }>;
  findPlatform(issuer: string, clientId: string): Promise<LtijsPlatform | null>;
  findPlatformById(platformId: string): Promise<LtijsPlatform | null>;
  listPlatforms(): Promise<LtijsPlatform[]>;
  deletePlatform(issuer: string, clientId: string): Promise<boolean>;
  activatePlatform(platformId: string): Promise<void>;
  /** A service access token; `fresh` drops the one ltijs keeps (the platform refused it) and asks for a new one. */
  accessToken(platformId: string, scopes: readonly string[], o?: { fresh?: boolean }): Promise<string>;
}

let setUp = false;
const DATABASE_URL_UNUSED = 'mongodb://unused-connection-is-already-open';

/**
 * Puts ltijs (a process-wide singleton) behind our own interface. The mongoose connection must already be
 * open: ltijs then reuses it instead of connecting (and exiting the process on failure) by itself.
 */
export async function createLtiGateway(config: AppConfig, hooks: LtiGatewayHooks): Promise<LtiGateway> {
  if (setUp) throw new Error('ltijs is a process-wide singleton: create the LTI gateway once per process.');
  setUp = true;
  const store = new LaunchTokenStore({ url: config.mongodbUri ?? DATABASE_URL_UNUSED });
  lti.setup(
    config.ltiKey,
    { url: DATABASE_URL_UNUSED, plugin: store },
    {
      appRoute: LTI_ROUTES.launch,
      loginRoute: LTI_ROUTES.login,
      keysetRoute: LTI_ROUTES.keys,
      dynRegRoute: LTI_ROUTES.register,
      cors: false,
      devMode: false,
      tokenMaxAge: 60,
      cookies: config.secureContext ? { secure: true, sameSite: 'None' } : { secure: false, sameSite: 'Lax' },
    },
  );
  const fail = (req: Request, res: Response) => {
    const details = (res.locals.err as { details?: { message?: string } } | undefined)?.details;
    hooks.renderError(res, translateLtijsError(details?.message));
  };
  lti.onInvalidToken(fail);
  lti.onSessionTimeout(fail);
  lti.onUnregisteredPlatform((_req: Request, res: Response) => hooks.renderError(res, translateLtijsError('UNREGISTERED_PLATFORM')));
  lti.onInactivePlatform((_req: Request, res: Response) => hooks.renderError(res, translateLtijsError('PLATFORM_NOT_ACTIVATED')));
  lti.onConnect(async (_token: unknown, req: Request, res: Response, next: NextFunction) => {
    try {
      await hooks.onLaunch(req, res);
    } catch (err) {
      next(err);
    }
  });

  const sigintBefore = new Set(process.listeners('SIGINT'));
  await lti.deploy({ serverless: true, silent: true });
  // ltijs installs a SIGINT handler that exits the process; shutdown stays ours.
  for (const l of process.listeners('SIGINT')) if (!sigintBefore.has(l)) process.removeListener('SIGINT', l);

  const findPlatformById = async (platformId: string) => (await lti.getPlatformById(platformId)) || null;
  return {
    app: lti.app,
    async registerPlatform(p) {
      const platform = await lti.registerPlatform(p);
      return { platformId: await platform.platformId() };
    },
    async findPlatform(issuer, clientId) {
      return (await lti.getPlatform(issuer, clientId)) || null;
    },
    findPlatformById,
    listPlatforms: () => lti.getAllPlatforms(),
    deletePlatform: (issuer, clientId) => lti.deletePlatform(issuer, clientId),
    async activatePlatform(platformId) {
      const platform = await findPlatformById(platformId);
      if (platform) await platform.platformActive(true);
    },
    async accessToken(platformId, scopes, o = {}) {
      const platform = await findPlatformById(platformId);
      if (!platform) throw new Error('The platform registration no longer exists.');
      // ltijs keeps a token until its own expiry; a platform can stop accepting it sooner (new keys, a restore).
      if (o.fresh) await store.Delete('accesstoken', { platformUrl: await platform.platformUrl(), clientId: await platform.platformClientId(), scopes: scopes.join(' ') });
      const token = await platform.platformAccessToken(scopes.join(' '));
      return token.access_token;
    },
  };
}
