import { startTestTool, type RunningTool } from '../../support/test-tool';
import { RATE_LIMITS } from '../../../src/web/rate-limits';

/** Sends `count` requests, `parallel` at a time, and returns their statuses in order. */
async function burst(count: number, parallel: number, send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += parallel) {
    const responses = await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, send));
    for (const r of responses) {
      statuses.push(r.status);
      await r.body?.cancel();
    }
  }
  return statuses;
}

describe('rate limits', () => {
  let tool: RunningTool;

  beforeAll(async () => {
    tool = await startTestTool();
  });

  afterAll(async () => {
    await tool.close();
  });

  const html = { accept: 'text/html' };

  it('when someone keeps guessing the admin secret, then after the allowed failures they get a clear 429 page, even with the right secret', async () => {
    const wrong = () => fetch(`${tool.baseUrl}/admin/login`, { method: 'POST', headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' }, body: 'secret=guess', redirect: 'manual' });
    const statuses = await burst(RATE_LIMITS.adminLogin.limit, 5, wrong);
    expect(new Set(statuses)).toEqual(new Set([401]));

    const blocked = await fetch(`${tool.baseUrl}/admin/login`, { method: 'POST', headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' }, body: 'secret=test-admin-secret', redirect: 'manual' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe(String(15 * 60));
    const page = await blocked.text();
    expect(page).toContain('Too many requests');
    expect(page).toContain('Wait 15 minutes');
    // Looking at the sign-in form is not an attempt.
    expect((await fetch(`${tool.baseUrl}/admin/login`, { headers: html })).status).toBe(200);
  });

  it('when one address makes more launch requests than a lecture theatre would, then it gets 429 and the limit is announced in headers', async () => {
    const first = await fetch(`${tool.baseUrl}/lti/login`, { method: 'POST', headers: html });
    expect(first.headers.get('ratelimit-policy')).toContain(`${RATE_LIMITS.launch.limit};w=${RATE_LIMITS.launch.windowMs / 1000}`);
    await first.body?.cancel();
    const rest = await burst(RATE_LIMITS.launch.limit, 25, () => fetch(`${tool.baseUrl}/lti/launch`, { method: 'POST', headers: html }));
    expect(rest.slice(0, -1)).not.toContain(429);
    expect(rest.at(-1)).toBe(429);
  }, 120_000);

  it('when one address uploads more files than allowed, then the next upload gets 429 before anything is read', async () => {
    const upload = () => {
      const form = new FormData();
      form.set('file', new Blob(['Time,Description\n']), 'log.csv');
      return fetch(`${tool.baseUrl}/app/imports?ltik=x`, { method: 'POST', headers: html, body: form });
    };
    const statuses = await burst(RATE_LIMITS.upload.limit, 10, upload);
    expect(statuses).not.toContain(429);
    const blocked = await upload();
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('too many uploads');
  });

  it('when one address keeps posting registrations, then it is stopped with 429', async () => {
    const post = () => fetch(`${tool.baseUrl}/admin/registration`, { method: 'POST', headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' }, body: 'issuer=x', redirect: 'manual' });
    const statuses = await burst(RATE_LIMITS.registration.limit, 10, post);
    expect(statuses).not.toContain(429);
    expect((await post()).status).toBe(429);
  });
});
