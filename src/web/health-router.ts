import { Router } from 'express';
import { isDatabaseConnected } from '../store/database';

// One process serves one server, so whether it is shutting down is process-wide.
let draining = false;

/** Called once on shutdown: readiness fails at once so a load balancer stops sending new work here. */
export function startDraining(): void {
  draining = true;
}

export interface HealthChecks {
  /** False while the process cannot take work yet (starting up) or any more (shutting down). */
  accepting(): boolean;
}

const UNLESS_DRAINING: HealthChecks = { accepting: () => !draining };

/** `/health/live` answers whenever the process does; `/health/ready` only when it can serve pages. */
export function healthRouter(checks: HealthChecks = UNLESS_DRAINING): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'live' });
  });
  router.get('/health/ready', (_req, res) => {
    const status = !checks.accepting() || draining ? 'not accepting requests' : isDatabaseConnected() ? 'ready' : 'database unavailable';
    res.set('Cache-Control', 'no-store').status(status === 'ready' ? 200 : 503).json({ status });
  });
  return router;
}
