import { TestBrowser, type TestPlatform } from '../../test/platform';

// Registers Waymark and the demo Moodle with each other by the manual path a learning technologist follows:
// "Configure a tool manually" on the platform, then Waymark's /admin/registration form with the values it shows.

/** Moodle keeps a tool's client id in its database; the demo keeps one too, so a rerun finds the same module. */
export const DEMO_CLIENT_ID = 'WaymarkDemo4201';

export interface DemoRegistration {
  clientId: string;
  deploymentId: string;
}

function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('The registration page has no form token: is ADMIN_SECRET set for this Waymark?');
  return token;
}

export async function registerWithEachOther(platform: TestPlatform, waymarkUrl: string, adminSecret: string): Promise<DemoRegistration> {
  const { clientId, deploymentId } = platform.registerToolManually({
    name: 'Waymark',
    clientId: DEMO_CLIENT_ID,
    loginUrl: `${waymarkUrl}/lti/login`,
    targetLinkUri: `${waymarkUrl}/lti/launch`,
    redirectUris: [`${waymarkUrl}/lti/launch`],
    jwksUrl: `${waymarkUrl}/lti/keys`,
  });

  const admin = new TestBrowser();
  const signedIn = await admin.post(`${waymarkUrl}/admin/login`, { secret: adminSecret });
  if (signedIn.status !== 200 || !signedIn.url.endsWith('/admin/registration')) {
    throw new Error(`Signing in to Waymark's registration page failed (HTTP ${signedIn.status}): check ADMIN_SECRET.`);
  }
  const registered = await admin.post(`${waymarkUrl}/admin/registration`, {
    _csrf: csrfOf(signedIn.html),
    name: 'Demo Moodle',
    issuer: platform.issuer,
    clientId,
    authUrl: platform.endpoints.authUrl,
    tokenUrl: platform.endpoints.tokenUrl,
    keysetUrl: platform.endpoints.jwksUrl,
    deploymentIds: deploymentId,
  });
  if (registered.status !== 200) throw new Error(`Waymark refused the demo platform's registration (HTTP ${registered.status}).`);
  return { clientId, deploymentId };
}
