import { Router } from 'express';
import { MOODLE_RELEASE, PLATFORM_CONFIGURATION, SCOPE } from './lti-vocabulary';
import type { PlatformContext } from './platform-context';
import type { PlatformEndpoints } from './platform-types';
import { PATH } from './moodle-paths';

/** Platform discovery for dynamic registration, plus the JWKS that id_tokens are checked against. */
export function discoveryRouter(ctx: PlatformContext, endpoints: PlatformEndpoints): Router {
  const router = Router();
  const configuration = {
    issuer: ctx.issuer,
    token_endpoint: endpoints.tokenUrl,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: endpoints.jwksUrl,
    authorization_endpoint: endpoints.authUrl,
    registration_endpoint: endpoints.registrationUrl,
    scopes_supported: [SCOPE.lineItem, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score, SCOPE.nrps, 'openid'],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    [PLATFORM_CONFIGURATION]: {
      product_family_code: 'moodle',
      version: MOODLE_RELEASE,
      messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
      placements: ['AddContentMenu'],
      variables: ['ResourceLink.id', 'ResourceLink.title', 'Context.id', 'Context.title', 'Context.label', 'User.id', 'User.username', 'Person.email.primary', 'Person.name.full', 'Person.name.given', 'Person.name.family'],
    },
  };
  router.get(PATH.openidConfiguration, (_req, res) => {
    res.json(configuration);
  });
  router.get(PATH.jwks, (_req, res) => {
    res.json(ctx.keys.jwks());
  });
  return router;
}
