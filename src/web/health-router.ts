import { Router } from 'express';
import { isDatabaseConnected } from '../store/database';

export function healthRouter(): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get('/health/ready', (_req, res) => {
    const ready = isDatabaseConnected();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });
  return router;
}
