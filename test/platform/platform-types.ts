/** Public shapes of the simulated Moodle platform. */

export type PlatformService = 'nrps' | 'ags' | 'token';
export type Fault = { status: number } | { hangMs: number };
export type MemberStatus = 'Active' | 'Inactive';

export interface StartTestPlatformOptions {
  port?: number;
  host?: string;
  name?: string;
  nrpsPageSize?: number;
  agsPageSize?: number;
}

export interface PlatformEndpoints {
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  openidConfigurationUrl: string;
  registrationUrl: string;
}

export interface ManualToolInput {
  loginUrl: string;
  targetLinkUri: string;
  jwksUrl: string;
  redirectUris?: string[];
  name?: string;
  /** Keep a client id across restarts, as a real Moodle keeps it in its database (the demo needs it); random when unset. */
  clientId?: string;
}

export interface ToolView {
  clientId: string;
  deploymentIds: string[];
  loginUrl: string;
  targetLinkUri: string;
  jwksUrl: string;
  redirectUris: string[];
  scopes: string[];
  active: boolean;
  domain?: string;
  name?: string;
  rawRegistration?: unknown;
}

export interface CourseInput {
  id: string;
  title: string;
  label?: string;
}

export interface MemberInput {
  userId: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  username?: string;
  /** Moodle's user idnumber; NRPS sends it as lis_person_sourcedid ('' when unset). */
  sourcedId?: string;
  roles: string[];
  status?: MemberStatus;
}

export interface LineItemInput {
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  endDateTime?: string;
  tag?: string;
  resourceId?: string;
  /** Owning tool: Moodle lists a line item only to its tool type. Unset = visible to every tool. */
  clientId?: string;
}

export interface ResultInput {
  userId: string;
  resultScore?: number;
  resultMaximum?: number;
  timestamp?: string;
  comment?: string;
}

export interface LaunchTamper {
  signWithUnknownKey?: boolean;
  unknownKid?: boolean;
  audience?: string;
  issuer?: string;
  /** Negative = already expired. */
  expiresInSeconds?: number;
  /** Put this nonce in the id_token instead of the one the tool asked for. */
  nonce?: string;
  omitRoles?: boolean;
  /** Deployment id claim in the id_token only; the login request keeps the real one. */
  deploymentId?: string;
  stateOverride?: string;
}

export interface LaunchOptions {
  clientId: string;
  deploymentId?: string;
  courseId: string;
  userId: string;
  roles: string[];
  resourceLinkId?: string;
  resourceLinkTitle?: string;
  targetLinkUri?: string;
  documentTarget?: 'iframe' | 'window';
  mentorScope?: string[];
  custom?: Record<string, string>;
  messageType?: string;
  tamper?: LaunchTamper;
}

export interface PreparedLaunch {
  loginUrl: string;
  params: Record<string, string>;
}

export interface RequestLogEntry {
  method: string;
  /** Path with its query string, as the client sent it. */
  path: string;
  at: Date;
}
