import { startTestPlatform, TestBrowser, type BrowserPage, type LaunchTamper, type TestPlatform } from '../platform';
import { startTestTool, type RunningTool } from '../support/test-tool';
import { registerManually, type Registration } from '../support/registered-platform';
import { ROLE } from '../support/lti-roles';
import { MemberModel } from '../../src/store/models/member-model';
import { EngagementEventModel } from '../../src/store/models/engagement-event-model';
import { LaunchSessionModel } from '../../src/store/models/launch-session-model';
import { ModuleModel } from '../../src/store/models/module-model';

interface StoredCounts {
  members: number;
  events: number;
  sessions: number;
  modules: number;
}

async function countOurDocuments(): Promise<StoredCounts> {
  return {
    members: await MemberModel.countDocuments({}),
    events: await EngagementEventModel.countDocuments({}),
    sessions: await LaunchSessionModel.countDocuments({}),
    modules: await ModuleModel.countDocuments({}),
  };
}

/** A refusal people can read: our HTML error page with its heading, never ltijs's raw JSON. */
function expectHumanRefusal(page: BrowserPage, status: number, heading: string): void {
  expect(page.status).toBe(status);
  expect(page.headers.get('content-type') ?? '').toContain('text/html');
  expect(page.html.trimStart().startsWith('{')).toBe(false);
  expect(page.html).not.toMatch(/"details"\s*:|NO_LTIK_OR_IDTOKEN_FOUND|"error"\s*:/);
  const h1 = /<h1 id="error-title">([^<]*)<\/h1>/.exec(page.html)?.[1];
  expect(h1).toBe(heading);
}

describe('bad launches', () => {
  let tool: RunningTool;
  let reg: Registration;

  beforeAll(async () => {
    tool = await startTestTool();
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: 'HIS201', title: 'Modern History', label: 'HIS201' });
    reg.platform.addMember('HIS201', { userId: 't1', name: 'Tom Teacher', roles: ['Instructor'] });
    reg.platform.addMember('HIS201', { userId: 's1', name: 'Sam Student', roles: ['Learner'] });
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  const launchAs = (userId: string, roles: string[], extra: { tamper?: LaunchTamper; messageType?: string } = {}, browser = new TestBrowser()) =>
    browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'HIS201', userId, roles, ...extra });

  /** Runs a bad launch and checks it changed none of Waymark's own collections. */
  async function refusedWithoutStoring(run: () => Promise<BrowserPage>): Promise<BrowserPage> {
    const before = await countOurDocuments();
    const page = await run();
    expect(await countOurDocuments()).toEqual(before);
    return page;
  }

  it('when a good launch arrives, then it is accepted (the baseline the bad launches differ from)', async () => {
    const page = await launchAs('t1', [ROLE.instructor]);
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe('/app/module');
    expect((await countOurDocuments()).sessions).toBe(1);
  });

  it('when the id_token is signed with a key the platform does not publish, then it is refused and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { tamper: { signWithUnknownKey: true } }));
    expectHumanRefusal(page, 401, 'Waymark could not verify this launch');
    expect(page.html).toContain('signature did not match');
  });

  it('when the id_token names a kid the platform keyset lacks, then it is refused and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { tamper: { unknownKid: true } }));
    expectHumanRefusal(page, 401, 'Waymark could not verify this launch');
    expect(page.html).toContain('signed with a key the platform does not publish');
  });

  it('when the id_token is meant for another tool (wrong aud), then it is refused and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { tamper: { audience: 'some-other-tool' } }));
    expectHumanRefusal(page, 403, 'This Moodle deployment is not registered with Waymark');
  });

  it('when the id_token names another issuer than the one that started the login, then it is refused and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { tamper: { issuer: 'https://evil.example.org' } }));
    expectHumanRefusal(page, 403, 'This Moodle deployment is not registered with Waymark');
  });

  it('when the id_token has expired, then it is refused as expired and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { tamper: { expiresInSeconds: -30 } }));
    expectHumanRefusal(page, 401, 'This launch has expired');
  });

  it('when a captured id_token form is posted again, then the replay is refused and nothing more is stored', async () => {
    const browser = new TestBrowser({ followForms: false });
    // launch() follows the login redirects; the platform's auto-submitting id_token form is captured, not run.
    const authPage = await launchAs('s1', [ROLE.learner], {}, browser);
    const idTokenForm = authPage.form!;
    expect(idTokenForm.action).toBe(`${tool.baseUrl}/lti/launch`);
    expect(idTokenForm.fields.id_token).toBeTruthy();
    const first = await browser.submit(idTokenForm, reg.platform.issuer);
    expect(new URL(first.url).pathname).toBe('/app/me');

    const replay = await refusedWithoutStoring(() => browser.submit(idTokenForm, reg.platform.issuer));
    // ltijs checks the (now spent) state cookie before the nonce, so the replay meets the cookie page.
    expectHumanRefusal(replay, 401, 'Your browser did not keep Waymark’s sign-in');
    // From a different browser (no state cookie at all) the same token is refused too.
    const stranger = await refusedWithoutStoring(() => new TestBrowser().submit(idTokenForm, reg.platform.issuer));
    expectHumanRefusal(stranger, 401, 'Your browser did not keep Waymark’s sign-in');
  });

  it('when a second launch carries a nonce already received, then it is refused as already used and nothing is stored', async () => {
    const nonce = `reused-nonce-${Date.now()}`;
    const first = await launchAs('s1', [ROLE.learner], { tamper: { nonce } });
    expect(new URL(first.url).pathname).toBe('/app/me');
    const page = await refusedWithoutStoring(() => launchAs('s1', [ROLE.learner], { tamper: { nonce } }));
    expectHumanRefusal(page, 401, 'This launch was already used');
  });

  it('when the state sent back differs from the one Waymark issued, then it is refused and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { tamper: { stateOverride: 'forged-state-value' } }));
    expectHumanRefusal(page, 401, 'Your browser did not keep Waymark’s sign-in');
  });

  it('when the deployment id is not registered with Waymark, then it is refused and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { tamper: { deploymentId: '999' } }));
    expectHumanRefusal(page, 403, 'This Moodle deployment is not registered with Waymark');
    expect(page.html).toContain('999');
  });

  it('when the roles claim is missing, then it is refused and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { tamper: { omitRoles: true } }));
    expectHumanRefusal(page, 401, 'Waymark could not verify this launch');
    expect(page.html).toContain('it carried no roles');
  });

  it('when the only role is one Waymark does not know (institution Guest), then a page says there is nothing here and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('g1', [ROLE.guest]));
    expectHumanRefusal(page, 403, 'Waymark has nothing for you here');
  });

  it('when the message is a deep linking request, then it is refused and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => launchAs('t1', [ROLE.instructor], { messageType: 'LtiDeepLinkingRequest' }));
    expectHumanRefusal(page, 400, 'Waymark cannot accept this launch');
    expect(page.html).toContain('LtiDeepLinkingRequest');
  });

  it('when a platform that never registered with Waymark launches, then it is refused and nothing is stored', async () => {
    const stranger: TestPlatform = await startTestPlatform();
    try {
      // The stranger platform knows Waymark's URLs, but Waymark does not know it.
      const { clientId, deploymentId } = stranger.registerToolManually({
        loginUrl: `${tool.baseUrl}/lti/login`,
        targetLinkUri: `${tool.baseUrl}/lti/launch`,
        jwksUrl: `${tool.baseUrl}/lti/keys`,
      });
      stranger.addCourse({ id: 'HIS201', title: 'Modern History (elsewhere)' });
      const page = await refusedWithoutStoring(() =>
        new TestBrowser().launch(stranger, { clientId, deploymentId, courseId: 'HIS201', userId: 't1', roles: [ROLE.instructor] }),
      );
      expectHumanRefusal(page, 400, 'This Moodle site is not registered with Waymark');
    } finally {
      await stranger.close();
    }
  });

  it('when /app/module is opened without any launch, then a page says to open Waymark from Moodle and nothing is stored', async () => {
    const page = await refusedWithoutStoring(() => new TestBrowser().get(`${tool.baseUrl}/app/module`));
    expectHumanRefusal(page, 401, 'Open Waymark from your Moodle course');
  });
});
