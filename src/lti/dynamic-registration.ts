import { z } from 'zod';
import type { AppConfig } from '../config';
import { REQUESTED_SCOPES } from './lti-vocabulary';
import { LTI_ROUTES } from './lti-gateway';
import type { PlatformValues } from './platform-registration';

const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

const openidConfigurationSchema = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
  registration_endpoint: z.string().url(),
  authorization_server: z.string().optional(),
  [PLATFORM_CONFIGURATION]: z.object({ product_family_code: z.string().optional() }).passthrough().optional(),
});

const registrationResponseSchema = z.object({
  client_id: z.string().min(1),
  [TOOL_CONFIGURATION]: z.object({ deployment_id: z.string().optional() }).passthrough().optional(),
});

export class RegistrationError extends Error {}

/** The client registration Waymark sends: only the read-only roster and assignment scopes, never score. */
export function toolRegistrationRequest(config: AppConfig): Record<string, unknown> {
  const base = config.publicUrl;
  const launchUrl = base + LTI_ROUTES.launch;
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: base + LTI_ROUTES.login,
    redirect_uris: [launchUrl],
    client_name: 'Waymark',
    jwks_uri: base + LTI_ROUTES.keys,
    logo_uri: base + '/static/img/waymark-logo.svg',
    token_endpoint_auth_method: 'private_key_jwt',
    scope: REQUESTED_SCOPES.join(' '),
    [TOOL_CONFIGURATION]: {
      // Moodle checks that this equals the target_link_uri's domain.
      domain: new URL(base).host,
      description: 'Student engagement for module staff and for each student, as a prompt for supportive conversations.',
      target_link_uri: launchUrl,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: [{ type: 'LtiResourceLinkRequest', target_link_uri: launchUrl, label: 'Waymark engagement' }],
    },
  };
}

async function fetchJson(url: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (!res.ok) throw new RegistrationError(`${new URL(url).host} answered ${res.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistrationError(`${new URL(url).host} did not answer with JSON.`);
  }
}

/** Runs the tool side of LTI Dynamic Registration and returns the platform values to register. */
export async function performDynamicRegistration(config: AppConfig, openidConfigurationUrl: string, registrationToken: string | undefined): Promise<PlatformValues> {
  const openid = openidConfigurationSchema.safeParse(await fetchJson(openidConfigurationUrl));
  if (!openid.success) throw new RegistrationError('The platform’s OpenID configuration is missing required fields: ' + openid.error.issues.map((i) => i.path.join('.')).join(', '));
  const cfg = openid.data;
  // The configuration must come from the issuer it names, or anyone could claim to be that platform.
  if (new URL(cfg.issuer).host !== new URL(openidConfigurationUrl).host) {
    throw new RegistrationError('The OpenID configuration names an issuer on a different host than the one it came from.');
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (registrationToken) headers.Authorization = `Bearer ${registrationToken}`;
  const response = registrationResponseSchema.safeParse(
    await fetchJson(cfg.registration_endpoint, { method: 'POST', headers, body: JSON.stringify(toolRegistrationRequest(config)) }),
  );
  if (!response.success) throw new RegistrationError('The platform’s registration answer had no client_id.');
  const deploymentId = response.data[TOOL_CONFIGURATION]?.deployment_id;
  if (!deploymentId) throw new RegistrationError('The platform did not give a deployment id; register Waymark manually instead.');
  return {
    issuer: cfg.issuer,
    clientId: response.data.client_id,
    authUrl: cfg.authorization_endpoint,
    tokenUrl: cfg.token_endpoint,
    keysetUrl: cfg.jwks_uri,
    deploymentIds: [deploymentId],
    name: cfg[PLATFORM_CONFIGURATION]?.product_family_code === 'moodle' ? 'Moodle' : new URL(cfg.issuer).host,
    authorizationServer: cfg.authorization_server,
  };
}
