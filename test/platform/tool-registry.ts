import { SCOPE } from './lti-vocabulary';
import type { ManualToolInput, ToolView } from './platform-types';
import { randomAlphanumeric } from './random-id';

/** A tool as the platform keeps it; typeId is Moodle's lti_types id (first deployment id, NRPS binding). */
export interface ToolRecord extends ToolView {
  typeId: number;
}

/** What an admin ticks in "Configure a tool manually": memberships, plus grade sync without column management. */
const MANUAL_TOOL_SCOPES = [SCOPE.nrps, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score];

export interface DynamicToolInput extends ManualToolInput {
  clientId: string;
  redirectUris: string[];
  scopes: string[];
  domain: string;
  rawRegistration: unknown;
}

export class ToolRegistry {
  private readonly byClientId = new Map<string, ToolRecord>();
  /** Type ids and extra deployment ids come from one sequence so they never collide. */
  private lastId = 0;

  registerManual(input: ManualToolInput): ToolRecord {
    return this.add({
      clientId: input.clientId ?? randomAlphanumeric(15),
      loginUrl: input.loginUrl,
      targetLinkUri: input.targetLinkUri,
      jwksUrl: input.jwksUrl,
      redirectUris: input.redirectUris ?? [input.targetLinkUri],
      scopes: [...MANUAL_TOOL_SCOPES],
      active: true,
      domain: new URL(input.targetLinkUri).host,
      name: input.name,
    });
  }

  /** Dynamic registrations wait as pending until an admin activates them, as in Moodle. */
  registerDynamic(input: DynamicToolInput): ToolRecord {
    return this.add({ ...input, active: false });
  }

  has(clientId: string): boolean {
    return this.byClientId.has(clientId);
  }

  find(clientId: string): ToolRecord | undefined {
    return this.byClientId.get(clientId);
  }

  get(clientId: string): ToolRecord {
    const tool = this.byClientId.get(clientId);
    if (!tool) throw new Error(`No tool registered with client id ${clientId}`);
    return tool;
  }

  activate(clientId: string): void {
    this.get(clientId).active = true;
  }

  addDeployment(clientId: string): string {
    const deploymentId = String(++this.lastId);
    this.get(clientId).deploymentIds.push(deploymentId);
    return deploymentId;
  }

  list(): ToolView[] {
    return [...this.byClientId.values()].map(({ typeId: _typeId, ...view }) => structuredClone(view));
  }

  private add(tool: Omit<ToolRecord, 'typeId' | 'deploymentIds'>): ToolRecord {
    const typeId = ++this.lastId;
    const record: ToolRecord = { ...tool, typeId, deploymentIds: [String(typeId)] };
    this.byClientId.set(record.clientId, record);
    return record;
  }
}
