import type { AccessTokens } from './access-tokens';
import type { CourseStore } from './course-store';
import type { FaultInjector } from './fault-injector';
import type { LaunchStore } from './launch-store';
import type { PlatformKeys } from './platform-keys';
import type { ToolRegistry } from './tool-registry';

/** Everything the endpoint routers share; built once the server knows its own address. */
export interface PlatformContext {
  issuer: string;
  platformName: string;
  keys: PlatformKeys;
  tools: ToolRegistry;
  courses: CourseStore;
  launches: LaunchStore;
  accessTokens: AccessTokens;
  faults: FaultInjector;
  nrpsPageSize: number;
  agsPageSize: number;
}
