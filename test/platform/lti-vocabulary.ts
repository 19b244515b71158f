/** LTI 1.3 names the simulated platform speaks, spelled the way Moodle sends them. */

export const LTI_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const DEEP_LINKING_CLAIM = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
export const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
export const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

export const SCOPE = {
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

const MEMBERSHIP_ROLE_PREFIX = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

export const ROLE = {
  instructor: `${MEMBERSHIP_ROLE_PREFIX}Instructor`,
  learner: `${MEMBERSHIP_ROLE_PREFIX}Learner`,
  mentor: `${MEMBERSHIP_ROLE_PREFIX}Mentor`,
  institutionAdministrator: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  systemAdministrator: 'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
} as const;

export const COURSE_OFFERING = 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering';

/** $CFG->version goes into the launch, $CFG->release into the openid configuration. */
export const MOODLE_VERSION = '2024100700';
export const MOODLE_RELEASE = '4.5 (Build: 20241007)';

/** NRPS lists short role names; launches carry full URIs (Moodle prefixes context roles the same way). */
export function fullRoleUri(role: string): string {
  return /^https?:\/\//.test(role) ? role : `${MEMBERSHIP_ROLE_PREFIX}${role}`;
}
