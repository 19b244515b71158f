import { generateKeyPair } from 'jose';
import { AGS_CLAIM, LTI_CLAIM, NRPS_CLAIM, ROLE, SCOPE, startTestPlatform, TestBrowser, type TestPlatform } from '../../platform';
import { FakeLtiTool } from './fake-lti-tool';

const COURSE = { id: '7', title: 'Introduction to Geology', label: 'GEO101' };
const INSTRUCTOR = { userId: '2', givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.ac.uk', username: 'ada', roles: ['Instructor'] };

let platform: TestPlatform;
let tool: FakeLtiTool;
let clientId: string;

beforeEach(async () => {
  platform = await startTestPlatform({ name: 'Test Moodle' });
  tool = await FakeLtiTool.start(platform);
  clientId = tool.registerManually().clientId;
  platform.addCourse(COURSE);
  platform.addMember(COURSE.id, INSTRUCTOR);
});

afterEach(async () => {
  await tool.close();
  await platform.close();
});

function requestToken(scope: string, assertion: string, signal?: AbortSignal): Promise<Response> {
  return fetch(platform.endpoints.tokenUrl, {
    method: 'POST',
    signal,
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope,
    }),
  });
}

async function accessToken(scopes: string[]): Promise<string> {
  const response = await requestToken(scopes.join(' '), await tool.clientAssertion());
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Service URLs the way a tool learns them: from the claims of a launch. */
async function serviceUrlsFromLaunch(): Promise<{ memberships: string; lineItems: string }> {
  await new TestBrowser().launch(platform, { clientId, courseId: COURSE.id, userId: INSTRUCTOR.userId, roles: [ROLE.instructor] });
  const claims = tool.launches.at(-1) ?? {};
  return {
    memberships: (claims[NRPS_CLAIM] as { context_memberships_url: string }).context_memberships_url,
    lineItems: (claims[AGS_CLAIM] as { lineitems: string }).lineitems,
  };
}

function nextLink(header: string | null): string | undefined {
  return header?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
}

describe('launch', () => {
  it('when an instructor launches, then the tool gets a verified id_token carrying Moodle claims', async () => {
    const page = await new TestBrowser().launch(platform, {
      clientId, courseId: COURSE.id, userId: INSTRUCTOR.userId, roles: [ROLE.instructor], resourceLinkId: '31', resourceLinkTitle: 'Engagement',
    });

    expect(page.status).toBe(200);
    expect(page.url).toBe(`${tool.baseUrl}/app`);
    const claims = tool.launches[0];
    expect(claims).toMatchObject({
      iss: platform.issuer, aud: clientId, azp: clientId, sub: '2', name: 'Ada Lovelace', given_name: 'Ada', email: 'ada@example.ac.uk',
      [`${LTI_CLAIM}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI_CLAIM}version`]: '1.3.0',
      [`${LTI_CLAIM}deployment_id`]: expect.any(String),
      [`${LTI_CLAIM}roles`]: [ROLE.instructor],
      [`${LTI_CLAIM}context`]: { id: '7', label: 'GEO101', title: 'Introduction to Geology', type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] },
      [`${LTI_CLAIM}resource_link`]: { id: '31', title: 'Engagement' },
      [`${LTI_CLAIM}tool_platform`]: { product_family_code: 'moodle', name: 'Test Moodle' },
      [`${LTI_CLAIM}launch_presentation`]: { document_target: 'iframe', locale: 'en' },
      [NRPS_CLAIM]: { service_versions: ['1.0', '2.0'] },
    });
    expect((claims?.[NRPS_CLAIM] as { context_memberships_url: string }).context_memberships_url).toMatch(/\/mod\/lti\/services\.php\/CourseSection\/7\/bindings\/\d+\/memberships$/);
    expect((claims?.[AGS_CLAIM] as { lineitems: string }).lineitems).toMatch(/\/mod\/lti\/services\.php\/7\/lineitems\?type_id=\d+$/);
  });

  it('when the tool asks for a redirect_uri it never registered, then the platform answers 400', async () => {
    tool.redirectUri = `${tool.baseUrl}/elsewhere`;
    const page = await new TestBrowser().launch(platform, { clientId, courseId: COURSE.id, userId: '2', roles: [ROLE.instructor] });

    expect(page.status).toBe(400);
    expect(page.url.startsWith(platform.endpoints.authUrl)).toBe(true);
    expect(page.html).toContain('redirect_uri');
    expect(tool.launches).toHaveLength(0);
  });

  it('when the id_token is signed with a key outside the platform JWKS, then a verifying tool rejects it', async () => {
    const page = await new TestBrowser().launch(platform, {
      clientId, courseId: COURSE.id, userId: '2', roles: [ROLE.instructor], tamper: { signWithUnknownKey: true },
    });

    expect(page.status).toBe(401);
    expect(page.html).toContain('id_token rejected');
  });

  it('when forms are not followed, then the id_token post can be captured and a replay is caught by the tool', async () => {
    const browser = new TestBrowser({ followForms: false });
    const atAuth = await browser.launch(platform, { clientId, courseId: COURSE.id, userId: '2', roles: [ROLE.instructor] });

    expect(atAuth.form?.action).toBe(`${tool.baseUrl}/launch`);
    expect(atAuth.form?.fields.id_token?.split('.')).toHaveLength(3);
    expect(atAuth.html).not.toContain('<script>');
    const first = atAuth.form && (await browser.submit(atAuth.form, platform.issuer));
    const replay = atAuth.form && (await browser.submit(atAuth.form, platform.issuer));
    expect(first?.status).toBe(200);
    expect(replay?.status).toBe(401);
  });

  it('when a course page embeds the tool, then the frame source runs the whole launch', async () => {
    const browser = new TestBrowser();
    const course = await browser.get(`${platform.issuer}/course/7/launch?clientId=${clientId}&userId=2&target=iframe`);
    const src = /<iframe id="tool-frame" src="([^"]+)" width="100%" height="800"/.exec(course.html)?.[1]?.replace(/&amp;/g, '&');

    expect(course.html).not.toMatch(/<script>/);
    expect(src).toBeDefined();
    const framed = await browser.get(src ?? '');
    expect(framed.url).toBe(`${tool.baseUrl}/app`);
    expect(tool.launches[0]?.[`${LTI_CLAIM}roles`]).toEqual([ROLE.instructor]);
  });
});

describe('dynamic registration', () => {
  it('when the tool registers with a domain that matches its target_link_uri, then it is stored pending and refused until activated', async () => {
    const { url } = platform.beginDynamicRegistration(`${tool.baseUrl}/register`);
    const browser = new TestBrowser();
    const answer = await browser.get(url);

    expect(answer.status).toBe(200);
    const registered = JSON.parse(answer.html) as Record<string, Record<string, string>>;
    expect(registered['https://purl.imsglobal.org/spec/lti-tool-configuration']?.deployment_id).toMatch(/^\d+$/);
    const stored = platform.tools().find((t) => t.clientId === tool.clientId);
    expect(stored).toMatchObject({ active: false, domain: new URL(tool.baseUrl).host, loginUrl: tool.loginUrl });

    const refused = await browser.launch(platform, { clientId: tool.clientId, courseId: COURSE.id, userId: '2', roles: [ROLE.learner] });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('pending');

    platform.activateTool(tool.clientId);
    const launched = await browser.launch(platform, { clientId: tool.clientId, courseId: COURSE.id, userId: '2', roles: [ROLE.learner] });
    expect(launched.status).toBe(200);
  });

  it('when the domain does not match target_link_uri, then the platform answers 400 and the token stays usable', async () => {
    const { registrationToken } = platform.beginDynamicRegistration(`${tool.baseUrl}/register`);
    const post = (domain: string): Promise<Response> => {
      tool.registrationDomain = domain;
      return fetch(platform.endpoints.registrationUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${registrationToken}` },
        body: JSON.stringify(tool.registration()),
      });
    };

    const mismatch = await post('tool.example.com');
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toBe('domain_targetlinkuri_mismatch');
    expect((await post(new URL(tool.baseUrl).host)).status).toBe(200);
    expect((await post(new URL(tool.baseUrl).host)).status).toBe(401);
  });
});

describe('token endpoint', () => {
  it('when the client assertion verifies, then only requested scopes the tool holds are granted', async () => {
    const response = await requestToken(`${SCOPE.nrps} ${SCOPE.lineItem} ${SCOPE.resultReadonly}`, await tool.clientAssertion());

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: `${SCOPE.nrps} ${SCOPE.resultReadonly}` });
  });

  it('when the assertion is signed by another key, expired or aimed elsewhere, then the platform refuses it', async () => {
    const { privateKey: strangerKey } = await generateKeyPair('RS256');

    for (const assertion of [
      await tool.clientAssertion({ key: strangerKey }),
      await tool.clientAssertion({ expiresIn: '-10s' }),
      await tool.clientAssertion({ audience: 'https://other.example' }),
    ]) {
      const response = await requestToken(SCOPE.nrps, assertion);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    }
  });
});

describe('names and roles', () => {
  it('when a course has 25 active members, then NRPS serves them over 3 pages linked by rel="next", without inactive ones', async () => {
    for (let i = 100; i < 124; i += 1) platform.addMember(COURSE.id, { userId: String(i), givenName: 'Student', familyName: String(i), roles: ['Learner'] });
    platform.addMember(COURSE.id, { userId: '900', roles: ['Learner'], status: 'Inactive' });
    const token = await accessToken([SCOPE.nrps]);
    const url = (await serviceUrlsFromLaunch()).memberships;

    const pages: Array<{ members: Array<{ user_id: string; roles: string[]; status: string }> }> = [];
    let next: string | undefined = url;
    while (next) {
      const response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      expect(response.headers.get('content-type')).toContain('application/vnd.ims.lti-nrps.v2.membershipcontainer+json');
      pages.push((await response.json()) as (typeof pages)[number]);
      next = nextLink(response.headers.get('link'));
    }

    expect(pages).toHaveLength(3);
    const members = pages.flatMap((page) => page.members);
    expect(members).toHaveLength(25);
    expect(members.map((m) => m.user_id)).not.toContain('900');
    expect(members.find((m) => m.user_id === '2')).toMatchObject({ roles: ['Instructor'], status: 'Active', name: 'Ada Lovelace', lis_person_sourcedid: '' });
  });

  it('when NRPS is told to fail twice, then two calls get that status and the third succeeds', async () => {
    const token = await accessToken([SCOPE.nrps]);
    const url = (await serviceUrlsFromLaunch()).memberships;
    platform.failNext('nrps', 2, { status: 503 });

    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('when the token endpoint is told to hang, then a client with a short timeout gives up and the next call succeeds', async () => {
    platform.failNext('token', 1, { hangMs: 400 });
    const ask = async (timeoutMs: number): Promise<Response> => requestToken(SCOPE.nrps, await tool.clientAssertion(), AbortSignal.timeout(timeoutMs));

    await expect(ask(100)).rejects.toThrow();
    expect((await ask(2000)).status).toBe(200);
  });
});

describe('assignment and grade services', () => {
  it('when line items span pages, then the Link header is written with curly quotes as Moodle does', async () => {
    const lineItemIds = Array.from({ length: 12 }, (_, i) =>
      platform.addLineItem(COURSE.id, { label: `Quiz ${i + 1}`, scoreMaximum: 10, resourceLinkId: String(i + 1), clientId }),
    );
    platform.addResult(COURSE.id, lineItemIds[0] ?? '', { userId: '2', resultScore: 7, comment: 'Good' });
    const token = await accessToken([SCOPE.lineItemReadonly, SCOPE.resultReadonly]);
    const { lineItems } = await serviceUrlsFromLaunch();
    const typeId = new URL(lineItems).searchParams.get('type_id') ?? '';

    const response = await fetch(lineItems, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json' },
    });
    const link = Buffer.from(response.headers.get('link') ?? '', 'latin1').toString('utf8');
    const items = (await response.json()) as Array<Record<string, unknown>>;

    expect(items).toHaveLength(10);
    expect(items[0]).toEqual({ id: lineItemIds[0], label: 'Quiz 1', scoreMaximum: 10, resourceId: '', tag: '', resourceLinkId: '1', ltiLinkId: '1' });
    expect(link).toContain(`type_id=${typeId}&limit=10&from=10>; rel=\u201cnext\u201d`);
    expect(nextLink(link)).toBeUndefined();

    const results = await fetch(`${(lineItemIds[0] ?? '').replace('?', '/results?')}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await results.json()).toEqual([
      { id: expect.stringContaining('user_id=2'), userId: '2', resultScore: 7, resultMaximum: 10, comment: 'Good', scoreOf: lineItemIds[0], timestamp: expect.stringMatching(/\+00:00$/) },
    ]);
  });

  it('when anyone posts a score, then the attempt is counted and refused', async () => {
    const lineItemId = platform.addLineItem(COURSE.id, { label: 'Essay', scoreMaximum: 100 });
    const token = await accessToken([SCOPE.score]);

    const response = await fetch(`${lineItemId.split('?')[0] ?? ''}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json' },
      body: JSON.stringify({ userId: '2', scoreGiven: 5, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' }),
    });

    expect(response.status).toBe(403);
    expect(platform.scoreWriteAttempts()).toBe(1);
    expect(platform.requestLog().some((entry) => entry.method === 'POST' && entry.path.endsWith('/scores'))).toBe(true);
  });
});
