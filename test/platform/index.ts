/** The simulated Moodle LTI 1.3 platform and the small browser that drives it in tests. */
export { startTestPlatform, TestPlatform } from './test-platform';
export { TestBrowser } from './test-browser';
export { isConnectionReset, retryOnConnectionReset } from './connection-reset';
export type { BrowserCookie, BrowserPage, HtmlForm, LaunchingPlatform, TestBrowserOptions } from './test-browser';
export type {
  CourseInput,
  Fault,
  LaunchOptions,
  LaunchTamper,
  LineItemInput,
  ManualToolInput,
  MemberInput,
  MemberStatus,
  PlatformEndpoints,
  PlatformService,
  PreparedLaunch,
  RequestLogEntry,
  ResultInput,
  StartTestPlatformOptions,
  ToolView,
} from './platform-types';
export { AGS_CLAIM, LTI_CLAIM, NRPS_CLAIM, ROLE, SCOPE, TOOL_CONFIGURATION } from './lti-vocabulary';
