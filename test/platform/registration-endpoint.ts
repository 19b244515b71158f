import { json, Router } from 'express';
import type { RegistrationTickets } from './dynamic-registration-initiator';
import { SCOPE, TOOL_CONFIGURATION } from './lti-vocabulary';
import { PATH } from './moodle-paths';
import type { PlatformContext } from './platform-context';
import { refuse } from './request-params';
import type { DynamicToolInput, ToolRecord } from './tool-registry';

type Payload = Record<string, unknown>;

class RegistrationError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Receives a tool's client registration, validates it the way Moodle's openid-registration.php does, stores it pending. */
export function registrationRouter(ctx: PlatformContext, tickets: RegistrationTickets): Router {
  const router = Router();
  router.post(PATH.registration, json({ type: () => true }), (req, res) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!bearer) return refuse(res, 401, 'missing_registration_token');
    const ticket = tickets.find(bearer);
    if (!ticket || ctx.tools.has(ticket.clientId)) return refuse(res, 401, 'token_already_used or invalid registration token');
    try {
      const tool = ctx.tools.registerDynamic(toolFromRegistration(req.body, ticket.clientId));
      tickets.spend(bearer);
      res.json(registrationResponse(tool));
    } catch (error) {
      if (!(error instanceof RegistrationError)) throw error;
      refuse(res, error.status, error.message);
    }
  });
  return router;
}

function toolFromRegistration(body: unknown, clientId: string): DynamicToolInput {
  if (!isPayload(body)) throw new RegistrationError(400, 'invalid registration payload');
  const responseTypes = required(body, 'response_types');
  const loginUrl = required(body, 'initiate_login_uri');
  const redirectUris = required(body, 'redirect_uris');
  const name = required(body, 'client_name');
  const jwksUrl = required(body, 'jwks_uri');
  const authMethod = required(body, 'token_endpoint_auth_method');
  const toolConfiguration = required(body, TOOL_CONFIGURATION);
  if (!isPayload(toolConfiguration)) throw new RegistrationError(400, `invalid ${TOOL_CONFIGURATION}`);

  const domain = toolConfiguration.domain;
  if (typeof domain !== 'string' || domain === '') throw new RegistrationError(400, 'missing_domain');
  const targetLinkUri = typeof toolConfiguration.target_link_uri === 'string' && toolConfiguration.target_link_uri !== ''
    ? toolConfiguration.target_link_uri
    : `https://${domain}`;
  if (moodleDomainOf(domain) !== moodleDomainOf(targetLinkUri)) throw new RegistrationError(400, 'domain_targetlinkuri_mismatch');
  if (!Array.isArray(responseTypes) || !responseTypes.includes('id_token')) throw new RegistrationError(400, 'invalid_response_types');
  if (!isStringArray(redirectUris)) throw new RegistrationError(400, 'invalid_redirect_uris');
  if (authMethod !== 'private_key_jwt') throw new RegistrationError(400, 'invalid_token_endpoint_auth_method');
  if (body.application_type !== undefined && body.application_type !== 'web') throw new RegistrationError(400, 'invalid_application_type');
  if (typeof loginUrl !== 'string' || typeof jwksUrl !== 'string' || typeof name !== 'string') {
    throw new RegistrationError(400, 'invalid registration payload');
  }
  const requestedScopes = typeof body.scope === 'string' ? body.scope.split(' ') : [];
  return {
    clientId,
    loginUrl,
    targetLinkUri,
    jwksUrl,
    redirectUris,
    scopes: grantedScopes(requestedScopes),
    domain,
    name,
    rawRegistration: body,
  };
}

/** Moodle turns requested scopes into service settings, then back into scopes: any AGS scope brings the three basic ones. */
function grantedScopes(requested: string[]): string[] {
  const basicAgs = [SCOPE.score, SCOPE.resultReadonly, SCOPE.lineItemReadonly];
  const granted: string[] = [];
  if ([...basicAgs, SCOPE.lineItem].some((scope) => requested.includes(scope))) granted.push(...basicAgs);
  if (requested.includes(SCOPE.lineItem)) granted.push(SCOPE.lineItem);
  if (requested.includes(SCOPE.nrps)) granted.push(SCOPE.nrps);
  return granted;
}

/** The answer Moodle writes back, quirks included (application_type as an array, claims it always lists). */
function registrationResponse(tool: ToolRecord): Payload {
  const raw = isPayload(tool.rawRegistration) ? tool.rawRegistration : {};
  const rawConfiguration = isPayload(raw[TOOL_CONFIGURATION]) ? raw[TOOL_CONFIGURATION] : {};
  return {
    client_id: tool.clientId,
    response_types: ['id_token'],
    jwks_uri: tool.jwksUrl,
    initiate_login_uri: tool.loginUrl,
    grant_types: ['client_credentials', 'implicit'],
    redirect_uris: tool.redirectUris,
    application_type: ['web'],
    token_endpoint_auth_method: 'private_key_jwt',
    client_name: tool.name,
    logo_uri: typeof raw.logo_uri === 'string' ? raw.logo_uri : '',
    scope: tool.scopes.join(' '),
    [TOOL_CONFIGURATION]: {
      deployment_id: tool.deploymentIds[0],
      target_link_uri: tool.targetLinkUri,
      domain: tool.domain,
      description: typeof rawConfiguration.description === 'string' ? rawConfiguration.description : '',
      ...(isPayload(rawConfiguration.custom_parameters) ? { custom_parameters: rawConfiguration.custom_parameters } : {}),
      claims: ['sub', 'iss', 'name', 'family_name', 'middle_name', 'email'],
    },
  };
}

/** Moodle's domain of a URL: scheme and a leading www. dropped, host and port kept. */
function moodleDomainOf(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/^www\./i, '').split('/')[0] ?? '';
}

function required(body: Payload, key: string): unknown {
  const value = body[key];
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    throw new RegistrationError(400, `missing required attribute ${key}`);
  }
  return value;
}

function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
