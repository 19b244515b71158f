import { Router } from 'express';
import type { Course } from './course-store';
import { AUTO_SUBMIT_SCRIPT, AUTO_SUBMIT_SCRIPT_PATH, autoSubmitFormHtml, autoSubmitPage, escapeHtml, htmlDocument, PAGE_CSP } from './html-page';
import { fullRoleUri } from './lti-vocabulary';
import type { PlatformContext } from './platform-context';
import type { LaunchOptions } from './platform-types';
import { randomAlphanumeric } from './random-id';
import { refuse, stringParam } from './request-params';

const LAUNCH_INITIATE_PATH = '/launch-initiate';
/** What Moodle's embedded launch container lets the tool frame use. */
const FRAME_ALLOW = 'microphone *; camera *; geolocation *; midi *; encrypted-media *; autoplay *; clipboard-write *';

/** Course pages for browser tests: the tool embedded in an iframe, or launched top-level, as Moodle does. */
export function coursePagesRouter(ctx: PlatformContext): Router {
  const router = Router();
  /** Launch options behind each embedded frame; the frame may reload, and each load is a fresh launch. */
  const frameLaunches = new Map<string, LaunchOptions>();

  router.get(AUTO_SUBMIT_SCRIPT_PATH, (_req, res) => {
    res.type('application/javascript').send(AUTO_SUBMIT_SCRIPT);
  });

  router.get('/course/:courseId/launch', (req, res) => {
    const course = ctx.courses.findCourse(req.params.courseId ?? '');
    if (!course) return refuse(res, 404, `No course ${req.params.courseId ?? ''}`);
    const clientId = stringParam(req.query, 'clientId') ?? '';
    const userId = stringParam(req.query, 'userId') ?? '';
    if (!ctx.tools.has(clientId) || !userId) return refuse(res, 400, 'clientId of a registered tool and userId are required');

    const target = stringParam(req.query, 'target') === 'window' ? 'window' : 'iframe';
    const options: LaunchOptions = {
      clientId,
      userId,
      courseId: course.id,
      roles: listParam(req.query, 'roles') ?? (ctx.courses.member(course.id, userId)?.roles ?? []).map(fullRoleUri),
      documentTarget: target,
      deploymentId: stringParam(req.query, 'deploymentId'),
      resourceLinkId: stringParam(req.query, 'resourceLinkId'),
      resourceLinkTitle: stringParam(req.query, 'resourceLinkTitle'),
      mentorScope: listParam(req.query, 'mentorScope'),
    };
    let content: string;
    if (target === 'iframe') {
      const key = randomAlphanumeric(20);
      frameLaunches.set(key, options);
      const src = `${ctx.issuer}${LAUNCH_INITIATE_PATH}?launch=${key}`;
      content = `<iframe id="tool-frame" src="${escapeHtml(src)}" width="100%" height="800" allow="${FRAME_ALLOW}" allowfullscreen title="${escapeHtml(options.resourceLinkTitle ?? 'External tool')}"></iframe>`;
    } else {
      const { loginUrl, params } = ctx.launches.prepare(options);
      content = `<p>Opening the tool…</p>\n  ${autoSubmitFormHtml(ctx.issuer, { action: loginUrl, fields: params })}`;
    }
    res.set('Content-Security-Policy', PAGE_CSP).type('html').send(coursePage(ctx.platformName, course, content));
  });

  router.get(LAUNCH_INITIATE_PATH, (req, res) => {
    const options = frameLaunches.get(stringParam(req.query, 'launch') ?? '');
    if (!options) return refuse(res, 404, 'Unknown launch');
    const { loginUrl, params } = ctx.launches.prepare(options);
    res
      .set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' })
      .type('html')
      .send(autoSubmitPage(ctx.issuer, 'Launching tool', { action: loginUrl, fields: params }));
  });

  return router;
}

function listParam(query: unknown, key: string): string[] | undefined {
  const value = stringParam(query, key);
  return value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter(Boolean);
}

function coursePage(siteName: string, course: Course, content: string): string {
  return htmlDocument(
    `${course.label}: ${course.title}`,
    `<header><nav aria-label="Site">${escapeHtml(siteName)}</nav></header>
  <nav aria-label="Breadcrumb">Home / My courses / ${escapeHtml(course.label)}</nav>
  <main>
  <h1>${escapeHtml(course.title)}</h1>
  ${content}
  </main>`,
  );
}
