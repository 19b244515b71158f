import { startTestPlatform, type TestPlatform } from '../platform';
import { registerPlatform } from '../../src/lti/platform-registration';
import type { RunningTool } from './test-tool';

export interface Registration {
  platform: TestPlatform;
  clientId: string;
  deploymentId: string;
}

/** The manual path: Moodle's "configure a tool manually" on the platform, then Waymark's side as the CLI does it. */
export async function registerManually(tool: RunningTool, opts: { nrpsPageSize?: number; agsPageSize?: number } = {}): Promise<Registration> {
  const platform = await startTestPlatform({ nrpsPageSize: opts.nrpsPageSize, agsPageSize: opts.agsPageSize });
  const { clientId, deploymentId } = platform.registerToolManually({
    loginUrl: `${tool.baseUrl}/lti/login`,
    targetLinkUri: `${tool.baseUrl}/lti/launch`,
    jwksUrl: `${tool.baseUrl}/lti/keys`,
    redirectUris: [`${tool.baseUrl}/lti/launch`],
  });
  await registerPlatform(
    tool.waymark.lti,
    {
      issuer: platform.issuer,
      clientId,
      authUrl: platform.endpoints.authUrl,
      tokenUrl: platform.endpoints.tokenUrl,
      keysetUrl: platform.endpoints.jwksUrl,
      deploymentIds: [deploymentId],
      name: 'Test Moodle',
    },
    'cli',
  );
  await tool.waymark.refreshFrameAncestors();
  return { platform, clientId, deploymentId };
}
