import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokens } from './access-tokens';
import { agsRouter } from './ags-endpoints';
import { CourseStore } from './course-store';
import { coursePagesRouter } from './course-pages';
import { RegistrationTickets } from './dynamic-registration-initiator';
import { FaultInjector } from './fault-injector';
import { LaunchStore } from './launch-store';
import { lineItemBaseUrl, lineItemIdUrl, PATH } from './moodle-paths';
import { nrpsRouter } from './nrps-endpoint';
import { oidcAuthorizationRouter } from './oidc-authorization-endpoint';
import { discoveryRouter } from './openid-configuration-endpoint';
import type { PlatformContext } from './platform-context';
import { PlatformKeys } from './platform-keys';
import type {
  CourseInput,
  Fault,
  LaunchOptions,
  LineItemInput,
  ManualToolInput,
  MemberInput,
  MemberStatus,
  PlatformEndpoints,
  PlatformService,
  PreparedLaunch,
  RequestLogEntry,
  ResultInput,
  StartTestPlatformOptions,
  ToolView,
} from './platform-types';
import { registrationRouter } from './registration-endpoint';
import { tokenRouter } from './token-endpoint';
import { ToolRegistry } from './tool-registry';

const DEFAULT_PAGE_SIZE = 10;

/** A simulated Moodle site speaking LTI 1.3 over real HTTP, for integration tests, browser tests and the demo. */
export class TestPlatform {
  readonly issuer: string;
  readonly endpoints: PlatformEndpoints;
  private readonly requests: RequestLogEntry[] = [];
  private readonly tickets = new RegistrationTickets();
  private readonly scoreWrites: () => number;

  constructor(
    private readonly server: Server,
    private readonly ctx: PlatformContext,
    app: express.Express,
  ) {
    this.issuer = ctx.issuer;
    this.endpoints = {
      authUrl: `${ctx.issuer}${PATH.auth}`,
      tokenUrl: `${ctx.issuer}${PATH.token}`,
      jwksUrl: `${ctx.issuer}${PATH.jwks}`,
      openidConfigurationUrl: `${ctx.issuer}${PATH.openidConfiguration}`,
      registrationUrl: `${ctx.issuer}${PATH.registration}`,
    };
    const ags = agsRouter(ctx);
    this.scoreWrites = ags.scoreWriteAttempts;
    app.use((req, _res, next) => {
      this.requests.push({ method: req.method, path: req.originalUrl, at: new Date() });
      next();
    });
    app.use(
      oidcAuthorizationRouter(ctx),
      tokenRouter(ctx, this.endpoints.tokenUrl),
      discoveryRouter(ctx, this.endpoints),
      registrationRouter(ctx, this.tickets),
      nrpsRouter(ctx),
      ags.router,
      coursePagesRouter(ctx),
    );
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).type('text/plain').send(`Test platform error: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async close(): Promise<void> {
    this.ctx.faults.close();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets from tools would otherwise hold the server open.
      this.server.closeAllConnections();
    });
  }

  registerToolManually(tool: ManualToolInput): { clientId: string; deploymentId: string } {
    const record = this.ctx.tools.registerManual(tool);
    return { clientId: record.clientId, deploymentId: String(record.typeId) };
  }

  beginDynamicRegistration(toolRegistrationUrl: string): { url: string; registrationToken: string } {
    return this.tickets.begin(toolRegistrationUrl, this.endpoints.openidConfigurationUrl);
  }

  tools(): ToolView[] {
    return this.ctx.tools.list();
  }

  activateTool(clientId: string): void {
    this.ctx.tools.activate(clientId);
  }

  addDeployment(clientId: string): string {
    return this.ctx.tools.addDeployment(clientId);
  }

  addCourse(course: CourseInput): void {
    this.ctx.courses.addCourse(course);
  }

  addMember(courseId: string, member: MemberInput): void {
    this.ctx.courses.addMember(courseId, member);
  }

  removeMember(courseId: string, userId: string): void {
    this.ctx.courses.removeMember(courseId, userId);
  }

  setMemberStatus(courseId: string, userId: string, status: MemberStatus): void {
    this.ctx.courses.setMemberStatus(courseId, userId, status);
  }

  /** Returns the line item's id URL, exactly as the AGS endpoints and launches show it. */
  addLineItem(courseId: string, lineItem: LineItemInput): string {
    const { clientId, ...item } = lineItem;
    const owner = clientId === undefined ? undefined : this.ctx.tools.get(clientId).typeId;
    const created = this.ctx.courses.addLineItem(courseId, item, owner);
    return lineItemIdUrl(this.issuer, created);
  }

  /** Accepts the line item id with or without its ?type_id= query. */
  addResult(courseId: string, lineItemId: string, result: ResultInput): void {
    const base = lineItemId.split('?')[0];
    const itemId = this.ctx.courses.lineItemsOf(courseId).find((item) => lineItemBaseUrl(this.issuer, courseId, item.itemId) === base)?.itemId;
    if (itemId === undefined) throw new Error(`No line item ${lineItemId} in course ${courseId}`);
    this.ctx.courses.addResult(itemId, result);
  }

  failNext(service: PlatformService, times: number, how: Fault): void {
    this.ctx.faults.arm(service, times, how);
  }

  /** The platform stops accepting every service access token it has handed out. */
  revokeAccessTokens(): void {
    this.ctx.accessTokens.revokeAll();
  }

  scoreWriteAttempts(): number {
    return this.scoreWrites();
  }

  requestLog(): RequestLogEntry[] {
    return this.requests.map((entry) => ({ ...entry }));
  }

  prepareLaunch(options: LaunchOptions): PreparedLaunch {
    return this.ctx.launches.prepare(options);
  }
}

export async function startTestPlatform(options: StartTestPlatformOptions = {}): Promise<TestPlatform> {
  const host = options.host ?? '127.0.0.1';
  const keys = await PlatformKeys.generate();
  const app = express();
  app.disable('x-powered-by');
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, host, () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  // Routes are mounted after listen because every URL the platform writes starts with its own address.
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const tools = new ToolRegistry();
  const courses = new CourseStore();
  const ctx: PlatformContext = {
    issuer,
    platformName: options.name ?? 'Waymark Test Moodle',
    keys,
    tools,
    courses,
    launches: new LaunchStore(issuer, tools, courses),
    accessTokens: new AccessTokens(),
    faults: new FaultInjector(),
    nrpsPageSize: options.nrpsPageSize ?? DEFAULT_PAGE_SIZE,
    agsPageSize: options.agsPageSize ?? DEFAULT_PAGE_SIZE,
  };
  return new TestPlatform(server, ctx, app);
}
