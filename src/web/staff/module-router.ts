import { Router } from 'express';
import { moduleDashboardRouter } from './module-dashboard-router';
import { digestRouter } from './digest-router';
import { alertQueueRouter } from './alert-queue-router';
import { learnerPageRouter } from './learner-page-router';
import { learnerCareRouter } from './learner-care-router';
import { settingsRouter } from './settings-router';

/** Every staff page of a module: dashboard, alert queue, learner pages, settings and the digest opt-in. */
export function moduleRouter(deps: { now: () => Date } = { now: () => new Date() }): Router {
  const router = Router();
  router.use(moduleDashboardRouter(deps));
  router.use(digestRouter());
  router.use(alertQueueRouter(deps));
  router.use(learnerPageRouter(deps));
  router.use(learnerCareRouter(deps));
  router.use(settingsRouter(deps));
  return router;
}
