import type { RequestHandler } from 'express';
import type { Fault, PlatformService } from './platform-types';

/** Makes the next calls to a service fail or stall, so tools' retry and timeout paths can be tested. */
export class FaultInjector {
  private readonly queues = new Map<PlatformService, Fault[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  arm(service: PlatformService, times: number, fault: Fault): void {
    const queue = this.queues.get(service) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.queues.set(service, queue);
  }

  /** A stalled call carries on normally after hangMs, like a slow platform rather than a dead one. */
  guard(service: PlatformService): RequestHandler {
    return (_req, res, next) => {
      const fault = this.queues.get(service)?.shift();
      if (!fault) return next();
      if ('status' in fault) {
        res.status(fault.status).type('text/plain').send(`Injected ${service} failure (${fault.status})`);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        next();
      }, fault.hangMs);
      this.timers.add(timer);
    };
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
