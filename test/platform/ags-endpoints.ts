import { Router, type Request, type Response } from 'express';
import type { AccessGrant } from './access-tokens';
import { isVisibleToTool, type LineItem, type Result } from './course-store';
import { SCOPE } from './lti-vocabulary';
import { lineItemBaseUrl, lineItemIdUrl, lineItemsUrl, PATH, withTypeId } from './moodle-paths';
import { agsLinkHeader, pageOf } from './paging';
import type { PlatformContext } from './platform-context';
import { intParam, refuse, stringParam } from './request-params';

const LINE_ITEM_CONTAINER = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
const LINE_ITEM = 'application/vnd.ims.lis.v2.lineitem+json';
const RESULT_CONTAINER = 'application/vnd.ims.lis.v2.resultcontainer+json';
const LINE_ITEM_READ = [SCOPE.lineItem, SCOPE.lineItemReadonly];

/** Assignment and Grade Services, read side only: Waymark must never write a grade, so every write is refused. */
export function agsRouter(ctx: PlatformContext): { router: Router; scoreWriteAttempts: () => number } {
  const router = Router();
  const base = `${PATH.services}/:courseId/lineitems`;
  let scoreWrites = 0;

  // Counted before anything else can refuse it: the attempt itself is what tests assert on.
  router.post(`${base}/:itemId/lineitem/scores`, (_req, res) => {
    scoreWrites += 1;
    refuse(res, 403, 'Score publishing is refused by this test platform: Waymark never writes grades');
  });
  router.use(base, ctx.faults.guard('ags'));

  router.get(base, (req, res) => {
    const access = authorizeCourse(ctx, req, res, LINE_ITEM_READ, LINE_ITEM_CONTAINER);
    if (!access) return;
    const resourceId = stringParam(req.query, 'resource_id');
    const resourceLinkId = stringParam(req.query, 'resource_link_id') ?? stringParam(req.query, 'lti_link_id');
    const tag = stringParam(req.query, 'tag');
    const items = ctx.courses
      .lineItemsOf(access.courseId)
      .filter((item) => isVisibleToTool(item, access.grant.typeId))
      .filter((item) => resourceId === undefined || (item.resourceId ?? '') === resourceId)
      .filter((item) => resourceLinkId === undefined || item.resourceLinkId === resourceLinkId)
      .filter((item) => tag === undefined || (item.tag ?? '') === tag);
    const page = pageOf(items, intParam(req.query, 'from', 0), intParam(req.query, 'limit', ctx.agsPageSize));
    if (page.limit > 0) {
      const filters: Array<[string, string | undefined]> = [['resource_id', resourceId], ['resource_link_id', resourceLinkId], ['tag', tag]];
      res.set('Link', agsLinkHeader(page, (from) => pagedUrl(lineItemsUrl(ctx.issuer, access.courseId), [...filters, ...pagingParams(access.typeIdParam, page.limit, from)])));
    }
    res.set('Content-Type', LINE_ITEM_CONTAINER).send(JSON.stringify(page.items.map((item) => presentLineItem(ctx.issuer, item))));
  });

  router.get(`${base}/:itemId/lineitem`, (req, res) => {
    const access = authorizeCourse(ctx, req, res, LINE_ITEM_READ, LINE_ITEM);
    const item = access && findItem(ctx, access, req, res);
    if (!item) return;
    res.set('Content-Type', LINE_ITEM).send(JSON.stringify(presentLineItem(ctx.issuer, item)));
  });

  router.get(`${base}/:itemId/lineitem/results`, (req, res) => {
    const access = authorizeCourse(ctx, req, res, [SCOPE.resultReadonly], RESULT_CONTAINER);
    const item = access && findItem(ctx, access, req, res);
    if (!access || !item) return;
    const userId = stringParam(req.query, 'user_id');
    const results = ctx.courses.resultsOf(item.itemId).filter((r) => userId === undefined || r.userId === userId);
    const page = pageOf(results, intParam(req.query, 'from', 0), intParam(req.query, 'limit', ctx.agsPageSize));
    const itemBase = lineItemBaseUrl(ctx.issuer, item.courseId, item.itemId);
    if (page.limit > 0) {
      res.set('Link', agsLinkHeader(page, (from) => pagedUrl(`${itemBase}/results`, pagingParams(access.typeIdParam, page.limit, from))));
    }
    res
      .set('Content-Type', RESULT_CONTAINER)
      .send(JSON.stringify(page.items.map((result) => presentResult(itemBase, item, result, access.typeIdParam))));
  });

  router.all([base, `${base}/:itemId/lineitem`], (_req, res) => {
    refuse(res, 403, 'Line item changes are refused by this test platform: Waymark never writes to the gradebook');
  });

  return { router, scoreWriteAttempts: () => scoreWrites };
}

interface CourseAccess {
  grant: AccessGrant;
  courseId: string;
  /** The type_id the caller put in the URL, echoed into every URL Moodle writes back. */
  typeIdParam: number | undefined;
}

function authorizeCourse(
  ctx: PlatformContext,
  req: Request,
  res: Response,
  scopes: readonly string[],
  format: string,
): CourseAccess | undefined {
  const grant = ctx.accessTokens.authorize(req, res, scopes);
  if (!grant) return undefined;
  const typeId = stringParam(req.query, 'type_id');
  if (typeId !== undefined && typeId !== String(grant.typeId)) {
    refuse(res, 403, 'type_id does not match the tool the access token was issued to');
    return undefined;
  }
  if (!accepts(req.get('accept'), format)) {
    refuse(res, 400, `Unsupported Accept header; expected ${format}`);
    return undefined;
  }
  const courseId = req.params.courseId ?? '';
  if (!ctx.courses.findCourse(courseId)) {
    refuse(res, 404, `Not Found: Course ${courseId} doesn't exist`);
    return undefined;
  }
  return { grant, courseId, typeIdParam: typeId === undefined ? undefined : grant.typeId };
}

function findItem(ctx: PlatformContext, access: CourseAccess, req: Request, res: Response): LineItem | undefined {
  const item = ctx.courses.lineItem(access.courseId, Number(req.params.itemId));
  if (!item || !isVisibleToTool(item, access.grant.typeId)) {
    refuse(res, 404, `Not Found: Grade item ${req.params.itemId ?? ''} doesn't exist`);
    return undefined;
  }
  return item;
}

/** Moodle answers 400 when Accept names some other media type; a wildcard or no header is fine. */
function accepts(accept: string | undefined, format: string): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]?.trim();
    return type === format || type === '*/*';
  });
}

function pagingParams(typeId: number | undefined, limit: number, from: number): Array<[string, string | undefined]> {
  return [['type_id', typeId === undefined ? undefined : String(typeId)], ['limit', String(limit)], ['from', String(from)]];
}

function pagedUrl(url: string, params: Array<[string, string | undefined]>): string {
  const query = new URLSearchParams(params.filter((p): p is [string, string] => p[1] !== undefined));
  return `${url}?${query.toString()}`;
}

function presentLineItem(issuer: string, item: LineItem): Record<string, unknown> {
  return {
    id: lineItemIdUrl(issuer, item),
    label: item.label,
    scoreMaximum: item.scoreMaximum,
    resourceId: item.resourceId ?? '',
    tag: item.tag ?? '',
    ...(item.resourceLinkId !== undefined ? { resourceLinkId: item.resourceLinkId, ltiLinkId: item.resourceLinkId } : {}),
    ...(item.endDateTime !== undefined ? { endDateTime: item.endDateTime } : {}),
  };
}

/** Moodle leaves out score, comment and timestamp for a user who has no grade yet. */
function presentResult(itemBase: string, item: LineItem, result: Result, typeId: number | undefined): Record<string, unknown> {
  const typeQuery = typeId === undefined ? '' : `type_id=${typeId}&`;
  const presented: Record<string, unknown> = { id: `${itemBase}/results?${typeQuery}user_id=${encodeURIComponent(result.userId)}`, userId: result.userId };
  if (result.resultScore === undefined) return presented;
  return {
    ...presented,
    resultScore: result.resultScore,
    resultMaximum: result.resultMaximum ?? item.scoreMaximum,
    ...(result.comment ? { comment: result.comment } : {}),
    scoreOf: withTypeId(itemBase, typeId),
    timestamp: phpIsoDate(result.timestamp),
  };
}

/** PHP's date('c') on a UTC server: seconds precision and a +00:00 offset. */
function phpIsoDate(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
