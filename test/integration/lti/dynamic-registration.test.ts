import path from 'node:path';
import { execFile } from 'node:child_process';
import { startTestPlatform, TestBrowser, SCOPE, TOOL_CONFIGURATION, type BrowserPage, type TestPlatform } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { ROLE } from '../../support/lti-roles';
import { listPlatformProfiles } from '../../../src/store/platform-repository';
import { loadConfig } from '../../../src/config';
import { toolRegistrationRequest } from '../../../src/lti/dynamic-registration';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const ADMIN_SECRET = 'test-admin-secret';

function decodeHtml(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function heading(page: BrowserPage): string | undefined {
  return /<h1[^>]*>([^<]*)<\/h1>/.exec(page.html)?.[1];
}

function csrfOf(page: BrowserPage): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1];
  if (!token) throw new Error('The registration page carries no CSRF field');
  return decodeHtml(token);
}

/** The value shown next to a label in the manual configuration list of /admin/registration. */
function shownUrl(page: BrowserPage, label: string): string {
  const match = new RegExp(`<dt>${label}</dt><dd><code>([^<]+)</code></dd>`).exec(page.html);
  if (!match?.[1]) throw new Error(`The registration page does not show “${label}”`);
  return decodeHtml(match[1]);
}

/** The CSP is refreshed just after a registration's response; give it a moment, as a person would. */
async function frameAncestorsSoonInclude(browser: TestBrowser, url: string, origin: string): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const csp = (await browser.get(url)).headers.get('content-security-policy') ?? '';
    if (new RegExp(`frame-ancestors [^;]*${escapeRegExp(origin)}`).test(csp)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runPlatformCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/platform-cli.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

describe('registering Waymark with a platform', () => {
  let tool: RunningTool;
  const platforms: TestPlatform[] = [];

  beforeAll(async () => {
    tool = await startTestTool();
  });

  afterAll(async () => {
    for (const p of platforms) await p.close();
    await tool.close();
  });

  async function newPlatform(): Promise<TestPlatform> {
    const platform = await startTestPlatform();
    platforms.push(platform);
    platform.addCourse({ id: 'GEO110', title: 'Physical Geography', label: 'GEO110' });
    platform.addMember('GEO110', { userId: 't1', name: 'Gina Teacher', roles: ['Instructor'] });
    platform.addMember('GEO110', { userId: 's1', name: 'Stan Student', roles: ['Learner'] });
    return platform;
  }

  async function signInAsAdmin(): Promise<{ browser: TestBrowser; page: BrowserPage }> {
    const browser = new TestBrowser();
    const login = await browser.get(`${tool.baseUrl}/admin/login`);
    expect(heading(login)).toBe('Waymark administration');
    const page = await browser.post(`${tool.baseUrl}/admin/login`, { secret: ADMIN_SECRET });
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe('/admin/registration');
    return { browser, page };
  }

  const teacherLaunch = (platform: TestPlatform, clientId: string, deploymentId: string) =>
    new TestBrowser().launch(platform, { clientId, deploymentId, courseId: 'GEO110', userId: 't1', roles: [ROLE.instructor] });

  describe('dynamic registration', () => {
    let platform: TestPlatform;
    let registrationUrl: string;

    beforeAll(async () => {
      platform = await newPlatform();
      const { page } = await signInAsAdmin();
      registrationUrl = decodeHtml(/data-testid="dynamic-registration-url">([^<]+)</.exec(page.html)?.[1] ?? '');
    });

    it('when the admin page is opened, then it shows the dynamic registration URL with its key', () => {
      const url = new URL(registrationUrl);
      expect(`${url.origin}${url.pathname}`).toBe(`${tool.baseUrl}/lti/register`);
      expect(url.searchParams.get('key')).toMatch(/^[\w-]{16,}$/);
    });

    it('when the platform opens the keyed registration URL, then Waymark registers asking only read-only scopes and the tool waits pending', async () => {
      const { url } = platform.beginDynamicRegistration(registrationUrl);
      const done = await new TestBrowser().get(url);
      expect(done.status).toBe(200);
      expect(heading(done)).toBe('Waymark is registered');
      expect(done.html).toContain(platform.issuer);

      const tools = platform.tools();
      expect(tools).toHaveLength(1);
      const registered = tools[0]!;
      expect(registered.active).toBe(false);
      expect(registered.domain).toBe(new URL(tool.baseUrl).host);
      expect(registered.targetLinkUri).toBe(`${tool.baseUrl}/lti/launch`);
      // What Waymark asked for: exactly the roster and the two read-only AGS scopes, never score.
      const requested = String((registered.rawRegistration as { scope?: unknown }).scope ?? '').split(' ').sort();
      expect(requested).toEqual([SCOPE.nrps, SCOPE.lineItemReadonly, SCOPE.resultReadonly].sort());
      expect(requested).not.toContain(SCOPE.score);

      const profiles = await listPlatformProfiles();
      const profile = profiles.find((p) => p.issuer === platform.issuer);
      expect(profile).toMatchObject({ clientId: registered.clientId, deploymentIds: registered.deploymentIds, registeredBy: 'dynamic' });
    });

    it('when the pending tool is activated on the platform, then a teacher launch with the registered deployment lands on the module page', async () => {
      const registered = platform.tools()[0]!;
      platform.activateTool(registered.clientId);
      const page = await teacherLaunch(platform, registered.clientId, registered.deploymentIds[0]!);
      expect(page.status).toBe(200);
      expect(new URL(page.url).pathname).toBe('/app/module');
      expect(page.html).toContain('Physical Geography');
      expect(page.html).toContain('Stan Student');
      // The roster came through the registered NRPS scope and was stored without error.
      expect(page.html).not.toContain('Roster sync failed');
      expect(page.headers.get('content-security-policy')).toMatch(new RegExp(`frame-ancestors [^;]*${escapeRegExp(new URL(platform.issuer).origin)}`));
      expect(platform.scoreWriteAttempts()).toBe(0);
    });

    it('when the registration URL lacks the key or carries a wrong one, then it is refused and nothing is registered', async () => {
      const profilesBefore = (await listPlatformProfiles()).length;
      const other = await newPlatform();
      for (const toolUrl of [`${tool.baseUrl}/lti/register`, `${tool.baseUrl}/lti/register?key=not-the-key`]) {
        const { url } = other.beginDynamicRegistration(toolUrl);
        const page = await new TestBrowser().get(url);
        expect(page.status).toBe(403);
        expect(heading(page)).toBe('This registration link is not valid');
      }
      expect(other.tools()).toHaveLength(0);
      expect(await listPlatformProfiles()).toHaveLength(profilesBefore);
    });

    it('when the platform refuses the registration, then Waymark shows a page naming the platform’s reason', async () => {
      // Moodle's registration token buys one tool: opening the same link again is refused by the platform.
      const { url } = platform.beginDynamicRegistration(registrationUrl);
      expect((await new TestBrowser().get(url)).status).toBe(200);
      const toolsBefore = platform.tools().length;
      const again = await new TestBrowser().get(url);
      expect(again.status).toBe(502);
      expect(heading(again)).toBe('Registration with the platform failed');
      expect(again.html).toContain('answered 401');
      expect(platform.tools()).toHaveLength(toolsBefore);
    });

    it('when PUBLIC_URL is written with capitals and the default port, then the registration domain still matches its launch URL for the platform', async () => {
      const { registrationToken } = platform.beginDynamicRegistration(registrationUrl);
      const request = toolRegistrationRequest(loadConfig({ PUBLIC_URL: 'https://Waymark.Example.ac.uk:443/' }));
      const response = await fetch(platform.endpoints.registrationUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${registrationToken}` },
        body: JSON.stringify(request),
      });
      const body = await response.text();
      expect(body).not.toContain('domain_targetlinkuri_mismatch');
      expect(response.status).toBe(200);
      const configuration = (JSON.parse(body) as Record<string, { domain?: string; target_link_uri?: string }>)[TOOL_CONFIGURATION];
      expect(configuration?.domain).toBe('waymark.example.ac.uk');
      expect(configuration?.target_link_uri).toBe('https://waymark.example.ac.uk/lti/launch');
    });
  });

  describe('manual registration on the web page', () => {
    let platform: TestPlatform;
    let admin: TestBrowser;
    let adminPage: BrowserPage;
    let clientId: string;
    let deploymentId: string;

    beforeAll(async () => {
      platform = await newPlatform();
      ({ browser: admin, page: adminPage } = await signInAsAdmin());
    });

    const formFor = (overrides: Record<string, string> = {}) => ({
      issuer: platform.issuer,
      clientId,
      authUrl: platform.endpoints.authUrl,
      tokenUrl: platform.endpoints.tokenUrl,
      keysetUrl: platform.endpoints.jwksUrl,
      deploymentIds: deploymentId,
      name: 'Geography Moodle',
      ...overrides,
    });

    it('when the admin opens the registration page, then it shows the URLs to enter in Moodle', async () => {
      const page = await admin.get(`${tool.baseUrl}/admin/registration`);
      expect(page.status).toBe(200);
      expect(heading(page)).toBe('Register Waymark with Moodle');
      expect(shownUrl(page, 'Tool URL')).toBe(`${tool.baseUrl}/lti/launch`);
      expect(shownUrl(page, 'Initiate login URL')).toBe(`${tool.baseUrl}/lti/login`);
      expect(shownUrl(page, 'Redirection URI\\(s\\)')).toBe(`${tool.baseUrl}/lti/launch`);
      expect(shownUrl(page, 'Public keyset URL')).toBe(`${tool.baseUrl}/lti/keys`);
      adminPage = page;
      // The learning technologist copies these into Moodle's "Configure a tool manually".
      ({ clientId, deploymentId } = platform.registerToolManually({
        loginUrl: shownUrl(page, 'Initiate login URL'),
        targetLinkUri: shownUrl(page, 'Tool URL'),
        jwksUrl: shownUrl(page, 'Public keyset URL'),
        redirectUris: [shownUrl(page, 'Redirection URI\\(s\\)')],
      }));
    });

    it('when a field is left empty, then the page says what to fix and registers nothing', async () => {
      const before = await listPlatformProfiles();
      const page = await admin.post(`${tool.baseUrl}/admin/registration`, { ...formFor({ clientId: '' }), _csrf: csrfOf(adminPage) });
      expect(page.status).toBe(400);
      expect(page.html).toContain('Please fix');
      expect(page.html).toMatch(/clientId: client id is required/);
      // What was typed is kept so only the missing field needs filling in.
      expect(page.html).toContain(`value="${platform.endpoints.tokenUrl}"`);
      expect(await listPlatformProfiles()).toEqual(before);
    });

    it('when the form is posted without its CSRF token, then it is refused and registers nothing', async () => {
      const before = await listPlatformProfiles();
      const page = await admin.post(`${tool.baseUrl}/admin/registration`, formFor());
      expect(page.status).toBe(403);
      expect(heading(page)).toBe('This form has expired');
      const forged = await admin.post(`${tool.baseUrl}/admin/registration`, { ...formFor(), _csrf: 'forged-token' });
      expect(forged.status).toBe(403);
      expect(await listPlatformProfiles()).toEqual(before);
    });

    it('when someone not signed in posts the form, then they are sent to sign in and nothing is registered', async () => {
      const before = await listPlatformProfiles();
      const page = await new TestBrowser().post(`${tool.baseUrl}/admin/registration`, { ...formFor(), _csrf: csrfOf(adminPage) });
      expect(new URL(page.url).pathname).toBe('/admin/login');
      expect(await listPlatformProfiles()).toEqual(before);
    });

    it('when the platform values are posted with the CSRF token, then the platform is registered and a teacher launch works', async () => {
      const page = await admin.post(`${tool.baseUrl}/admin/registration`, { ...formFor(), _csrf: csrfOf(adminPage) });
      expect(page.status).toBe(200);
      expect(page.html).toContain(`Registered ${platform.issuer} (client id ${clientId})`);
      const profile = (await listPlatformProfiles()).find((p) => p.issuer === platform.issuer);
      expect(profile).toMatchObject({ clientId, deploymentIds: [deploymentId], registeredBy: 'manual', name: 'Geography Moodle' });
      // Before anyone launches, Waymark's pages already allow the new platform to frame them.
      expect(await frameAncestorsSoonInclude(admin, `${tool.baseUrl}/admin/registration`, new URL(platform.issuer).origin)).toBe(true);

      const launch = await teacherLaunch(platform, clientId, deploymentId);
      expect(new URL(launch.url).pathname).toBe('/app/module');
      expect(launch.html).toContain('Stan Student');
      expect(launch.headers.get('content-security-policy')).toContain(new URL(platform.issuer).origin);
    });
  });

  describe('the platform command line', () => {
    let platform: TestPlatform;
    let cliEnv: Record<string, string>;

    beforeAll(async () => {
      platform = await newPlatform();
      // The CLI runs beside the server, on the same database and LTI key (ltijs encrypts platform keys with it).
      cliEnv = { MONGODB_URI: tool.databaseUri, LTI_KEY: tool.config.ltiKey, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    });

    const addArgs = (clientId: string, deploymentId: string, overrides: Record<string, string> = {}) => {
      const flags: Record<string, string> = {
        '--issuer': platform.issuer,
        '--client-id': clientId,
        '--auth-url': platform.endpoints.authUrl,
        '--token-url': platform.endpoints.tokenUrl,
        '--keyset-url': platform.endpoints.jwksUrl,
        '--deployment': deploymentId,
        ...overrides,
      };
      return ['add', ...Object.entries(flags).flat()];
    };

    it('when a platform is added on the command line, then list shows it and a teacher launch from it works inside its frame', async () => {
      const { clientId, deploymentId } = platform.registerToolManually({
        loginUrl: `${tool.baseUrl}/lti/login`,
        targetLinkUri: `${tool.baseUrl}/lti/launch`,
        jwksUrl: `${tool.baseUrl}/lti/keys`,
      });
      const added = await runPlatformCli(addArgs(clientId, deploymentId), cliEnv);
      expect(added.stderr).not.toMatch(/Cannot add|Error/);
      expect(added.code).toBe(0);
      expect(added.stdout).toContain(`Registered ${platform.issuer}`);

      const listed = await runPlatformCli(['list'], cliEnv);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain(`${platform.issuer}\tclient ${clientId}\tdeployments ${deploymentId}\t(cli)\tkept 6 years after leaving`);

      const refused = await runPlatformCli(['retention', '--issuer', platform.issuer, '--client-id', clientId, '--years', 'six'], cliEnv);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--years: give a whole number of years from 1 to 20');
      const kept = await runPlatformCli(['retention', '--issuer', platform.issuer, '--client-id', clientId, '--years', '7'], cliEnv);
      expect(kept.code).toBe(0);
      expect((await runPlatformCli(['list'], cliEnv)).stdout).toContain(`(cli)\tkept 7 years after leaving`);

      const launch = await teacherLaunch(platform, clientId, deploymentId);
      expect(new URL(launch.url).pathname).toBe('/app/module');
      expect(launch.html).toContain('Stan Student');
      // The running server learns of a platform registered by another process: Moodle may frame the page.
      expect(launch.headers.get('content-security-policy')).toContain(new URL(platform.issuer).origin);
    }, 120_000);

    it('when the issuer is not a URL, then the command exits 2 naming the flag and registers nothing', async () => {
      const before = await listPlatformProfiles();
      const result = await runPlatformCli(addArgs('SomeClient', '7', { '--issuer': 'notaurl' }), cliEnv);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--issuer');
      expect(result.stderr).toContain('issuer must be the platform’s URL');
      expect(await listPlatformProfiles()).toEqual(before);
    }, 60_000);
  });
});
