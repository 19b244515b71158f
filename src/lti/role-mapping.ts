// Maps LTI role claims (full URIs or short names) to what Waymark lets a person do. Pure.

export type WaymarkRole = 'staff' | 'mentor' | 'student' | 'designer' | 'admin';

export interface RoleSet {
  /** Highest-priority role: decides the landing page. */
  primary: WaymarkRole | null;
  all: ReadonlySet<WaymarkRole>;
}

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const INSTITUTION_PERSON = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const SYSTEM_PERSON = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';

// Short names and full URIs both occur in the wild (Moodle's NRPS uses short names).
function normalise(role: string): { scope: 'context' | 'institution' | 'system'; name: string; sub: string | null } {
  const r = role.trim();
  const pick = (prefix: string, scope: 'context' | 'institution' | 'system') => {
    const rest = r.slice(prefix.length);
    const [name, sub] = rest.split('#') as [string, string | undefined];
    return { scope, name, sub: sub ?? null };
  };
  if (r.startsWith(MEMBERSHIP)) return pick(MEMBERSHIP, 'context');
  if (r.startsWith('http://purl.imsglobal.org/vocab/lis/v2/membership/')) {
    // Sub-roles: membership/Instructor#TeachingAssistant
    const rest = r.slice('http://purl.imsglobal.org/vocab/lis/v2/membership/'.length);
    const [name, sub] = rest.split('#') as [string, string | undefined];
    return { scope: 'context', name, sub: sub ?? null };
  }
  if (r.startsWith(INSTITUTION_PERSON)) return pick(INSTITUTION_PERSON, 'institution');
  if (r.startsWith(SYSTEM_PERSON)) return pick(SYSTEM_PERSON, 'system');
  // LTI 1.1 style short names, also seen as 'urn:lti:role:ims/lis/Instructor'.
  const short = r.replace(/^urn:lti:(role|instrole|sysrole):ims\/lis\//, '');
  return { scope: 'context', name: short, sub: null };
}

const PRIORITY: readonly WaymarkRole[] = ['staff', 'mentor', 'designer', 'student', 'admin'];

export function mapRoles(roles: readonly string[], mentorScope: readonly string[] | undefined): RoleSet {
  const all = new Set<WaymarkRole>();
  for (const raw of roles) {
    const { scope, name, sub } = normalise(raw);
    if (scope === 'context') {
      if (name === 'Instructor' || name === 'TeachingAssistant' || sub === 'TeachingAssistant') all.add('staff');
      else if (name === 'Mentor') {
        // A mentor without a scope has nobody to see.
        if (mentorScope && mentorScope.length > 0) all.add('mentor');
      } else if (name === 'Learner') all.add('student');
      else if (name === 'ContentDeveloper') all.add('designer');
      else if (name === 'Administrator') all.add('admin');
    } else if (name === 'Administrator' || name === 'SysAdmin') {
      all.add('admin');
    }
  }
  // Admins land on the module page only when they also teach here; otherwise on the admin page.
  const primary = PRIORITY.find((r) => all.has(r)) ?? null;
  return { primary, all };
}

export function isStaffRole(roles: RoleSet): boolean {
  return roles.all.has('staff');
}
