import { AppError } from '../errors';

// ltijs reports failures as SCREAMING_SNAKE strings; people get a page that says what happened and what to do.

const RELAUNCH = 'Open Waymark again from your Moodle course.';

export function translateLtijsError(message: string | undefined): AppError {
  const m = message ?? '';
  if (m === 'NO_LTIK_OR_IDTOKEN_FOUND') {
    return new AppError(401, 'not-launched', 'Open Waymark from your Moodle course', 'Waymark works from inside a Moodle course: open the Waymark activity there.');
  }
  if (m === 'MISSING_VALIDATION_COOKIE' || m === 'Session not found.') {
    return new AppError(
      401,
      'cookies-blocked',
      'Your browser did not keep Waymark’s sign-in',
      'Your browser blocked the cookie Waymark needs inside the Moodle page. Open Waymark in a new window from the course (or allow cookies for this site), then try again.',
    );
  }
  if (m === 'UNREGISTERED_PLATFORM') {
    return new AppError(400, 'platform-unknown', 'This Moodle site is not registered with Waymark', 'Ask your learning technologist to register Waymark for this site.');
  }
  if (m === 'PLATFORM_NOT_ACTIVATED') {
    return new AppError(401, 'platform-inactive', 'Waymark is not active for this Moodle site yet', 'Ask your learning technologist to activate the registration.');
  }
  if (m === 'TOKEN_TOO_OLD' || m.includes('jwt expired') || m === 'TokenExpiredError') {
    return new AppError(401, 'session-expired', 'This launch has expired', `The launch took too long to arrive. ${RELAUNCH}`);
  }
  if (m === 'NONCE_ALREADY_RECEIVED') {
    return new AppError(401, 'launch-failed', 'This launch was already used', `Each launch from Moodle works once. ${RELAUNCH}`);
  }
  return new AppError(401, 'launch-failed', 'Waymark could not verify this launch', `The launch from Moodle could not be verified (${describe(m)}). ${RELAUNCH}`);
}

function describe(code: string): string {
  const known: Record<string, string> = {
    INVALID_SIGNATURE: 'its signature did not match the platform’s keys',
    'invalid signature': 'its signature did not match the platform’s keys',
    KEY_NOT_FOUND: 'it was signed with a key the platform does not publish',
    KID_NOT_FOUND: 'it names no signing key',
    AUD_DOES_NOT_CONTAIN_CLIENTID: 'it was meant for another tool',
    ISS_CLAIM_DOES_NOT_MATCH: 'it came from a different platform than the one that started it',
    NO_ROLES_CLAIM: 'it carried no roles',
    NO_MESSAGE_TYPE_CLAIM: 'it is not a resource link launch',
    INVALID_JWT_RECEIVED: 'it was not a valid token',
  };
  return known[code] ?? 'reason: ' + code.toLowerCase().replace(/_/g, ' ');
}
