import path from 'node:path';
import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import type { Logger } from 'pino';
import type { AppConfig } from './config';
import { createLtiGateway, LTI_ROUTES, type LtiGateway } from './lti/lti-gateway';
import { launchGuard } from './lti/launch-guard';
import { partitionedCookies } from './lti/cookie-partitioning';
import { recordLaunch } from './ingest/launch-recorder';
import { syncOnStaffLaunch } from './ingest/sync-on-launch';
import { xapiRouter } from './web/xapi/xapi-router';
import { importRouter } from './web/staff/import-router';
import { xapiCredentialsRouter } from './web/staff/xapi-credentials-router';
import { mapRoles } from './lti/role-mapping';
import { findPlatformProfileByIssuer, listPlatformProfiles } from './store/platform-repository';
import { installViewEngine } from './web/view-engine';
import { securityHeaders } from './web/security-headers';
import { errorHandler, notFoundHandler, renderError } from './web/error-pages';
import { healthRouter } from './web/health-router';
import { requireDatabase, databaseErrorsAsUnavailable } from './web/database-gate';
import { launchRateLimit, adminLoginRateLimit, registrationRateLimit, uploadRateLimit } from './web/rate-limits';
import { launchSession } from './web/launch-session';
import { exposeCsrfToken, requireCsrf } from './web/csrf';
import { landOnRolePage } from './web/landing';
import { moduleRouter } from './web/staff/module-router';
import { studentPanelRouter } from './web/student/panel-router';
import { adminAuditRouter } from './web/admin/audit-router';
import { adminDataRightsRouter } from './web/admin/data-rights-router';
import { adminVisaStaffRouter } from './web/admin/visa-staff-router';
import { overviewRouter } from './web/overview-router';
import { visaStudentsRouter } from './web/visa-students-router';
import { adminAuth } from './web/admin/admin-auth';
import { registrationRouter } from './web/admin/registration-router';
import { dynamicRegistrationRouter } from './web/registration/dynamic-registration-router';
import { withoutLaunchToken } from './logger';

export interface WaymarkApp {
  app: Express;
  lti: LtiGateway;
  /** Re-reads registered platforms' origins for CSP frame-ancestors. */
  refreshFrameAncestors(): Promise<void>;
}

const PUBLIC_DIR = path.resolve(__dirname, '../public');
// chart.js exports no package.json; its UMD build sits beside the main entry.
const CHART_JS = path.dirname(require.resolve('chart.js'));

/** The composition root: builds the express app around ltijs. The database connection must be open. */
export async function buildApp(config: AppConfig, logger: Logger, now: () => Date = () => new Date()): Promise<WaymarkApp> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);
  const viewOptions = { cacheTemplates: config.nodeEnv !== 'development' };
  installViewEngine(app, viewOptions);

  let frameAncestors: string[] = [];
  const refreshFrameAncestors = async () => {
    const profiles = await listPlatformProfiles();
    frameAncestors = [...new Set(profiles.map((p) => new URL(p.issuer).origin))];
  };

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug({ method: req.method, path: withoutLaunchToken(req.originalUrl), status: res.statusCode, ms }, 'request');
    });
    next();
  });
  app.use(securityHeaders({ https: config.publicUrl.startsWith('https:'), frameAncestors: () => frameAncestors }));
  app.use('/static/vendor/chartjs', express.static(CHART_JS, { maxAge: '7d', index: false }));
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  app.use(healthRouter());
  app.use(requireDatabase());
  app.use([LTI_ROUTES.login, LTI_ROUTES.launch], launchRateLimit());
  app.use('/admin/login', adminLoginRateLimit());
  app.use(['/admin/registration', LTI_ROUTES.register], registrationRateLimit());
  app.use('/app', uploadRateLimit());
  // Moodle's xAPI plugin has Basic credentials, no launch: served before the ltijs gate, with its own body limit.
  app.use(xapiRouter({ logger, now }));
  app.use(cookieParser(config.ltiKey));

  const renderErrorPage = renderError;
  const lti = await createLtiGateway(config, {
    renderError: renderErrorPage,
    onLaunch: (_req, res) => res.redirect(303, `/app/landing?ltik=${encodeURIComponent(String(res.locals.ltik))}`),
  });

  const auth = adminAuth({ secret: config.adminSecret, signingKey: config.ltiKey, secureCookies: config.publicUrl.startsWith('https:') });
  app.use(async (req, _res, next) => {
    // A registration changes which origins may frame us (mounted before the routers that end those requests).
    if (req.path === LTI_ROUTES.register || req.path.startsWith('/admin/registration')) {
      _res.on('finish', () => void refreshFrameAncestors().catch(() => undefined));
    }
    next();
  });
  app.use(registrationRouter(config, lti, auth));
  app.use(dynamicRegistrationRouter(config, lti, auth.registrationKey, logger));

  app.use(partitionedCookies(config.secureContext));
  app.post(LTI_ROUTES.launch, express.urlencoded({ extended: false, limit: '64kb' }), launchGuard({
    renderError: renderErrorPage,
    async isKnownDeployment(issuer, clientId, deploymentId) {
      const profile = await findPlatformProfileByIssuer(issuer, clientId);
      return Boolean(profile?.deploymentIds.includes(deploymentId));
    },
    async onVerifiedLaunch(claims, sessionId) {
      const platform = await lti.findPlatform(claims.issuer, claims.clientId);
      if (!platform) throw new Error('Verified launch from a platform that is no longer registered.');
      const platformId = await platform.platformId();
      // Registered by another process (the CLI, another instance): learn its origin before the page is framed.
      if (!frameAncestors.includes(new URL(claims.issuer).origin)) await refreshFrameAncestors();
      const { module } = await recordLaunch(claims, platformId, sessionId, now());
      if (mapRoles(claims.roles, claims.mentorScope).all.has('staff')) {
        await syncOnStaffLaunch(module, { accessToken: lti.accessToken, now }, { minIntervalMinutes: config.rosterSyncMinIntervalMinutes });
      }
    },
  }));

  // ltijs's express app renders our pages too (its error callbacks and our launch-only routers live on it).
  installViewEngine(lti.app, viewOptions);
  // Pages opened from a launch: ltijs verifies the launch token and cookie, then our session rules apply.
  lti.app.use('/app', launchSession({ idleMinutes: config.sessionIdleMinutes, now }));
  lti.app.use('/app', express.urlencoded({ extended: false, limit: '100kb' }), exposeCsrfToken(config.ltiKey), requireCsrf(config.ltiKey));
  lti.app.get('/app/landing', landOnRolePage);
  lti.app.use(moduleRouter({ now }));
  lti.app.use(studentPanelRouter({ now }));
  lti.app.use(adminAuditRouter(), adminDataRightsRouter({ now }), adminVisaStaffRouter({ now }));
  lti.app.use(importRouter({ now }));
  lti.app.use(xapiCredentialsRouter({ now, publicUrl: config.publicUrl }));
  lti.app.use(overviewRouter());
  lti.app.use(visaStudentsRouter({ now }));
  app.use((req, res, next) => (req.path.startsWith('/lti/') || req.path.startsWith('/app/') ? lti.app(req, res, next) : next()));

  app.use(notFoundHandler);
  app.use(databaseErrorsAsUnavailable);
  app.use(errorHandler(logger));
  await refreshFrameAncestors();
  return { app, lti, refreshFrameAncestors };
}
