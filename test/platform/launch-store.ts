import type { CourseStore } from './course-store';
import type { LaunchOptions, PreparedLaunch } from './platform-types';
import { randomAlphanumeric } from './random-id';
import type { ToolRecord, ToolRegistry } from './tool-registry';

/** A launch between the login initiation and the authorization request that redeems it. */
export interface PendingLaunch {
  options: LaunchOptions;
  tool: ToolRecord;
  deploymentId: string;
  targetLinkUri: string;
}

const DEFAULT_RESOURCE_LINK_ID = '1';

/** Prepared launches keyed by Moodle's launchid, which travels inside lti_message_hint. */
export class LaunchStore {
  private readonly pending = new Map<string, PendingLaunch>();
  private lastLaunch = 0;

  constructor(
    private readonly issuer: string,
    private readonly tools: ToolRegistry,
    private readonly courses: CourseStore,
  ) {}

  prepare(options: LaunchOptions): PreparedLaunch {
    const tool = this.tools.get(options.clientId);
    this.courses.course(options.courseId);
    const deploymentId = options.deploymentId ?? tool.deploymentIds[0] ?? String(tool.typeId);
    if (!tool.deploymentIds.includes(deploymentId)) {
      throw new Error(`Deployment ${deploymentId} does not belong to tool ${tool.clientId}; use tamper.deploymentId`);
    }
    const targetLinkUri = options.targetLinkUri ?? tool.targetLinkUri;
    const launchId = `ltilaunch${++this.lastLaunch}_${randomAlphanumeric(10)}`;
    this.pending.set(launchId, { options, tool, deploymentId, targetLinkUri });
    // Moodle's hint names the course module; numeric resource link ids stand in for it.
    const cmid = Number(resourceLinkIdOf(options)) || this.lastLaunch;
    return {
      loginUrl: tool.loginUrl,
      params: {
        iss: this.issuer,
        target_link_uri: targetLinkUri,
        login_hint: options.userId,
        // Moodle sends JSON here; tools must pass it back untouched.
        lti_message_hint: JSON.stringify({ cmid, launchid: launchId }),
        client_id: tool.clientId,
        lti_deployment_id: deploymentId,
      },
    };
  }

  find(messageHint: string): PendingLaunch | undefined {
    const launchId = launchIdOf(messageHint);
    return launchId === undefined ? undefined : this.pending.get(launchId);
  }

  /** A launch yields one id_token, as Moodle drops the launch from the session once used. */
  redeem(messageHint: string): void {
    const launchId = launchIdOf(messageHint);
    if (launchId !== undefined) this.pending.delete(launchId);
  }
}

export function resourceLinkIdOf(options: LaunchOptions): string {
  return options.resourceLinkId ?? DEFAULT_RESOURCE_LINK_ID;
}

function launchIdOf(messageHint: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(messageHint);
    if (typeof parsed === 'object' && parsed !== null && 'launchid' in parsed && typeof parsed.launchid === 'string') {
      return parsed.launchid;
    }
  } catch {
    // Not JSON: not a hint this platform issued.
  }
  return undefined;
}
