// One typed error set: an HTTP status, a stable id, and a message written for people.

export type ErrorId =
  | 'bad-request'
  | 'not-launched'
  | 'session-expired'
  | 'forbidden'
  | 'not-found'
  | 'no-role'
  | 'launch-failed'
  | 'cookies-blocked'
  | 'platform-unknown'
  | 'platform-inactive'
  | 'deployment-unknown'
  | 'database-unavailable'
  | 'too-many-requests'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly id: ErrorId,
    readonly title: string,
    readonly detail: string,
    readonly catastrophic = false,
  ) {
    super(`${id}: ${title}`);
  }
}

export const errors = {
  badRequest: (detail: string) => new AppError(400, 'bad-request', 'Something in the request needs fixing', detail),
  forbidden: (detail = 'Your role in this course does not give access to this page.') =>
    new AppError(403, 'forbidden', 'Not available to you', detail),
  notFound: (what = 'page') => new AppError(404, 'not-found', 'Not found', `This ${what} does not exist or is not part of your course.`),
};
