/** Where Moodle serves each LTI endpoint, so tools meet the same URL shapes (and query strings) as in production. */

export const PATH = {
  auth: '/mod/lti/auth.php',
  token: '/mod/lti/token.php',
  jwks: '/mod/lti/certs.php',
  openidConfiguration: '/mod/lti/openid-configuration.php',
  registration: '/mod/lti/openid-registration.php',
  services: '/mod/lti/services.php',
  returnUrl: '/mod/lti/return.php',
  deepLinkReturn: '/mod/lti/contentitem_return.php',
} as const;

export function membershipsUrl(issuer: string, courseId: string, typeId: number): string {
  return `${issuer}${PATH.services}/CourseSection/${encodeURIComponent(courseId)}/bindings/${typeId}/memberships`;
}

export function lineItemsUrl(issuer: string, courseId: string): string {
  return `${issuer}${PATH.services}/${encodeURIComponent(courseId)}/lineitems`;
}

/** The line item URL without its query; results and scores hang below this path. */
export function lineItemBaseUrl(issuer: string, courseId: string, itemId: number): string {
  return `${lineItemsUrl(issuer, courseId)}/${itemId}/lineitem`;
}

/** Moodle appends ?type_id=<tool type> to service URLs of LTI 1.3 tools; tools must keep it. */
export function withTypeId(url: string, typeId: number | undefined): string {
  return typeId === undefined ? url : `${url}?type_id=${typeId}`;
}

/** A line item's id as Moodle writes it: owned items carry their tool type, so the id is stable across listings. */
export function lineItemIdUrl(issuer: string, item: { courseId: string; itemId: number; ownerTypeId?: number }): string {
  return withTypeId(lineItemBaseUrl(issuer, item.courseId, item.itemId), item.ownerTypeId);
}
