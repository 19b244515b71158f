import { AsyncLocalStorage } from 'node:async_hooks';
import type { Module, ModuleViewVersions } from './types';

// The module's view versions as one request read them. A page makes several cached reads (members, analysis,
// alerts, one member's figures) and each is checked against the module's versions; reading them once per
// request, with the module the request loads anyway, saves 4-8 commands per page, each a scan on FerretDB v1.
// It keeps the cache's promise: a request sees every write completed before it read the module. A write the
// request makes itself drops the versions held, so its own later reads see it.

const scope = new AsyncLocalStorage<Map<string, ModuleViewVersions>>();

/** Runs `fn` with the module's view versions, as read in `module`, standing for every cached read it makes. */
export function withViewVersionsOf<T>(module: Module, fn: () => T): T {
  return scope.run(new Map([[module.id, module.viewVersions]]), fn);
}

/** The versions the current request read for this module, if it read them. */
export function viewVersionsInScope(moduleId: string): ModuleViewVersions | undefined {
  return scope.getStore()?.get(moduleId);
}

/** After a write to the module: the current request must read its versions again. */
export function forgetViewVersionsInScope(moduleId: string): void {
  scope.getStore()?.delete(moduleId);
}
