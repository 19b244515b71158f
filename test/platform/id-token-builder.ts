import { SignJWT, type JWTPayload } from 'jose';
import { fullNameOf, type Course, type LineItem, type Member } from './course-store';
import type { PendingLaunch } from './launch-store';
import { resourceLinkIdOf } from './launch-store';
import {
  AGS_CLAIM,
  COURSE_OFFERING,
  DEEP_LINKING_CLAIM,
  LTI_CLAIM,
  MOODLE_VERSION,
  NRPS_CLAIM,
  SCOPE,
} from './lti-vocabulary';
import { lineItemIdUrl, lineItemsUrl, membershipsUrl, PATH, withTypeId } from './moodle-paths';
import type { PlatformKeys } from './platform-keys';
import type { LaunchTamper } from './platform-types';
import { randomAlphanumeric } from './random-id';

/** Moodle signs launches valid for one minute. */
const ID_TOKEN_LIFETIME_SECONDS = 60;
const AGS_SCOPES_IN_CLAIM_ORDER = [SCOPE.lineItem, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score];

export interface IdTokenInput {
  issuer: string;
  platformName: string;
  launch: PendingLaunch;
  course: Course;
  member: Member | undefined;
  /** The line item bound to the launched resource link, if any (Moodle then adds `lineitem`). */
  lineItem: LineItem | undefined;
  nonce: string;
}

export function buildIdTokenClaims(input: IdTokenInput): JWTPayload {
  const { issuer, launch, course } = input;
  const { options, tool } = launch;
  const tamper: LaunchTamper = options.tamper ?? {};
  const now = Math.floor(Date.now() / 1000);
  const messageType = options.messageType ?? 'LtiResourceLinkRequest';
  const documentTarget = options.documentTarget ?? 'iframe';
  const resourceLinkId = resourceLinkIdOf(options);
  const agsScopes = AGS_SCOPES_IN_CLAIM_ORDER.filter((scope) => tool.scopes.includes(scope));

  return {
    iss: tamper.issuer ?? issuer,
    aud: tamper.audience ?? tool.clientId,
    azp: tool.clientId,
    sub: options.userId,
    iat: now,
    exp: now + (tamper.expiresInSeconds ?? ID_TOKEN_LIFETIME_SECONDS),
    nonce: tamper.nonce ?? input.nonce,
    ...personClaims(input.member),
    [`${LTI_CLAIM}message_type`]: messageType,
    [`${LTI_CLAIM}version`]: '1.3.0',
    [`${LTI_CLAIM}deployment_id`]: tamper.deploymentId ?? launch.deploymentId,
    [`${LTI_CLAIM}target_link_uri`]: launch.targetLinkUri,
    ...(tamper.omitRoles ? {} : { [`${LTI_CLAIM}roles`]: [...options.roles] }),
    [`${LTI_CLAIM}context`]: { id: course.id, label: course.label, title: course.title, type: [COURSE_OFFERING] },
    ...(messageType === 'LtiDeepLinkingRequest'
      ? { [DEEP_LINKING_CLAIM]: deepLinkingSettings(issuer, course.id, tool.typeId) }
      : { [`${LTI_CLAIM}resource_link`]: { id: resourceLinkId, title: options.resourceLinkTitle ?? tool.name ?? 'External tool' } }),
    [`${LTI_CLAIM}launch_presentation`]: {
      locale: 'en',
      document_target: documentTarget,
      return_url: `${issuer}${PATH.returnUrl}?course=${encodeURIComponent(course.id)}&launch_container=${documentTarget === 'window' ? 4 : 3}&instanceid=${encodeURIComponent(resourceLinkId)}`,
    },
    [`${LTI_CLAIM}tool_platform`]: {
      guid: new URL(issuer).host,
      name: input.platformName,
      product_family_code: 'moodle',
      version: MOODLE_VERSION,
    },
    [`${LTI_CLAIM}ext`]: { lms: 'moodle-2', ...(input.member?.username ? { user_username: input.member.username } : {}) },
    ...(options.custom ? { [`${LTI_CLAIM}custom`]: { ...options.custom } } : {}),
    ...(options.mentorScope ? { [`${LTI_CLAIM}role_scope_mentor`]: [...options.mentorScope] } : {}),
    ...(tool.scopes.includes(SCOPE.nrps)
      ? {
          [NRPS_CLAIM]: {
            context_memberships_url: membershipsUrl(issuer, course.id, tool.typeId),
            service_versions: ['1.0', '2.0'],
          },
        }
      : {}),
    ...(agsScopes.length > 0
      ? {
          [AGS_CLAIM]: {
            scope: agsScopes,
            lineitems: withTypeId(lineItemsUrl(issuer, course.id), tool.typeId),
            ...(input.lineItem ? { lineitem: lineItemIdUrl(issuer, input.lineItem) } : {}),
          },
        }
      : {}),
  };
}

export async function signIdToken(claims: JWTPayload, keys: PlatformKeys, tamper: LaunchTamper = {}): Promise<string> {
  const key = tamper.signWithUnknownKey ? await keys.unknownKey() : keys.privateKey;
  const kid = tamper.unknownKid ? `unknown-${randomAlphanumeric(8)}` : keys.kid;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
}

function personClaims(member: Member | undefined): Record<string, string> {
  if (!member) return {};
  const fullName = fullNameOf(member);
  const claims: Record<string, string> = {};
  if (fullName) claims.name = fullName;
  if (member.givenName) claims.given_name = member.givenName;
  if (member.familyName) claims.family_name = member.familyName;
  if (member.email) claims.email = member.email;
  return claims;
}

function deepLinkingSettings(issuer: string, courseId: string, typeId: number): Record<string, unknown> {
  return {
    deep_link_return_url: `${issuer}${PATH.deepLinkReturn}?course=${encodeURIComponent(courseId)}&id=${typeId}`,
    accept_types: ['ltiResourceLink'],
    accept_presentation_document_targets: ['frame', 'iframe', 'window'],
    accept_copy_advice: false,
    accept_multiple: true,
    accept_unsigned: false,
    auto_create: false,
    can_confirm: false,
    title: '',
    text: '',
  };
}
