import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import type { ActivityRecord, PersonRef } from './parsed-records';
import { nameBasedUuid } from './stable-ids';

// The statement shape Moodle's Logstore xAPI plugin sends. z.object drops every key not listed here, so
// extensions (which carry the whole Moodle event) and result scores never reach a record.
const activitySchema = z.object({
  objectType: z.literal('Activity').optional(),
  id: z.string().min(1, 'activity id is empty'),
  definition: z.object({ type: z.string().optional() }).optional(),
});
const activityListSchema = z.union([z.array(activitySchema), activitySchema.transform((activity) => [activity])]);

export const xapiStatementSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'id is not a UUID')
    .optional(),
  actor: z
    .object({
      objectType: z.literal('Agent').optional(),
      name: z.string().optional(),
      mbox: z.string().regex(/^mailto:.+@.+/i, 'mbox is not a mailto: address').optional(),
      account: z.object({ homePage: z.string().min(1), name: z.string().min(1) }).optional(),
    })
    .refine((actor) => actor.mbox !== undefined || actor.account !== undefined, 'actor has neither an account nor an mbox'),
  verb: z.object({ id: z.string().min(1) }),
  object: activitySchema,
  timestamp: z.string().min(1, 'timestamp is empty'),
  result: z.object({ duration: z.string().optional() }).optional(),
  context: z
    .object({
      contextActivities: z.object({ parent: activityListSchema.optional(), grouping: activityListSchema.optional() }).optional(),
    })
    .optional(),
});
export type XapiStatement = z.infer<typeof xapiStatementSchema>;

const VERBS: Record<string, string> = {
  'http://id.tincanapi.com/verb/viewed': 'viewed',
  'http://activitystrea.ms/schema/1.0/submit': 'submitted',
  'http://adlnet.gov/expapi/verbs/completed': 'completed',
  'http://adlnet.gov/expapi/verbs/answered': 'answered',
  'http://adlnet.gov/expapi/verbs/attempted': 'attempted',
  'http://activitystrea.ms/create': 'created',
  'http://activitystrea.ms/schema/1.0/create': 'created',
  'http://id.tincanapi.com/verb/replied': 'replied',
};
// Scored is a grade given by staff: assessment, and not something the learner did.
const IGNORED_VERBS: Record<string, string> = {
  'https://w3id.org/xapi/tla/verbs/scored': 'a grade given by staff is not engagement',
  'http://adlnet.gov/expapi/verbs/scored': 'a grade given by staff is not engagement',
};

const MODULE_URL = /\/mod\/([a-z0-9_]+)\/view\.php\?(?:.*&)?id=(\d+)/i;
const COURSE_URL = /\/course\/view\.php\?(?:.*&)?id=(\d+)/i;
const MAX_DEPTH = 40;

export interface XapiMapperOptions {
  /** The platform's Moodle URL: statements whose actor or object point elsewhere are refused. */
  siteUrl?: string;
}

export type XapiMappingResult =
  | { ok: true; index: number; statementId: string; /** derived from content: the statement had no id */ idDerived: boolean; courseId: string; record: ActivityRecord }
  | { ok: false; index: number; reason: string; /** valid xAPI, deliberately not engagement (the endpoint still answers 200) */ ignored: boolean };

/** A POST body (one statement or an array) -> one result per statement, in order. */
export function mapXapiStatements(body: unknown, options: XapiMapperOptions = {}): XapiMappingResult[] {
  const statements = Array.isArray(body) ? body : [body];
  return statements.map((statement, index) => mapXapiStatement(statement, index, options));
}

export function mapXapiStatement(raw: unknown, index: number, options: XapiMapperOptions = {}): XapiMappingResult {
  const fail = (reason: string, ignored = false): XapiMappingResult => ({ ok: false, index, reason, ignored });
  const parsed = xapiStatementSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'statement'}: ${issue.message}`);
    return fail(`Not an xAPI statement we can read (${issues.join('; ')}).`);
  }
  const statement = parsed.data;

  const verb = VERBS[statement.verb.id];
  if (!verb) {
    const why = IGNORED_VERBS[statement.verb.id];
    return fail(why ? `Verb ${statement.verb.id} ignored: ${why}.` : `Verb ${statement.verb.id} is not one Waymark counts; ignored.`, true);
  }

  const site = options.siteUrl?.replace(/\/+$/, '');
  if (site) {
    const foreign = [statement.object.id, statement.actor.account?.homePage].find((url) => url !== undefined && !isOnSite(url, site));
    if (foreign) return fail(`Statement points at ${foreign}, not this platform (${site}).`);
  }

  const when = DateTime.fromISO(statement.timestamp, { zone: 'utc' }); // xAPI: no offset means UTC
  if (!when.isValid) return fail(`timestamp '${statement.timestamp}' is not an ISO 8601 date and time.`);

  const related = [statement.object, ...(statement.context?.contextActivities?.parent ?? []), ...(statement.context?.contextActivities?.grouping ?? [])];
  const courseId = related.map((activity) => COURSE_URL.exec(activity.id)?.[1]).find((id) => id !== undefined);
  if (!courseId) return fail('No course in the object or context.contextActivities (…/course/view.php?id=N): the statement cannot be placed in a module.');
  const module = related.map((activity) => MODULE_URL.exec(activity.id)).find((match) => match !== null);

  const person = personOf(statement.actor);
  const derived = statement.id === undefined;
  let statementId = statement.id?.toLowerCase();
  if (!statementId) {
    // No id: the plugin resends the same JSON on retry, so a name-based UUID of its canonical content is stable.
    const canonical = canonicalJson(raw, 0);
    if (canonical === null) return fail(`Statement is nested deeper than ${MAX_DEPTH} levels.`);
    statementId = nameBasedUuid(`xapi-statement:${canonical}`);
  }
  const duration = statement.result?.duration ? Duration.fromISO(statement.result.duration) : null;
  const minutes = duration?.isValid ? Math.round(duration.as('minutes') * 100) / 100 : 0;

  return {
    ok: true,
    index,
    statementId,
    idDerived: derived,
    courseId,
    record: {
      source: verb === 'submitted' ? 'assignment' : 'vle',
      sourceId: `xapi:${statementId}`,
      occurredAt: when.toJSDate(),
      person,
      count: 1,
      minutes,
      detail: {
        verb,
        courseId,
        module: module?.[1]?.toLowerCase() ?? null,
        courseModuleId: module?.[2] ?? null,
        activityType: statement.object.definition?.type?.replace(/^.*\//, '') ?? null,
      },
    },
  };
}

function personOf(actor: XapiStatement['actor']): PersonRef {
  const person: PersonRef = {};
  if (actor.name) person.fullName = actor.name;
  if (actor.mbox) person.email = actor.mbox.replace(/^mailto:/i, '');
  // The plugin sends the Moodle user id by default, or the username when configured to.
  if (actor.account) {
    if (/^\d+$/.test(actor.account.name)) person.moodleUserId = actor.account.name;
    else person.username = actor.account.name;
  }
  return person;
}

function isOnSite(url: string, site: string): boolean {
  return url === site || url.startsWith(`${site}/`) || url.startsWith(`${site}?`) || url.startsWith(`${site}#`);
}

/** JSON with sorted keys, so key order does not change the derived id. */
function canonicalJson(value: unknown, depth: number): string | null {
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    const items = value.map((item) => canonicalJson(item, depth + 1));
    return items.includes(null) ? null : `[${items.join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const item = canonicalJson((value as Record<string, unknown>)[key], depth + 1);
      if (item === null) return null;
      entries.push(`${JSON.stringify(key)}:${item}`);
    }
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
