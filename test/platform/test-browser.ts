import { performance } from 'node:perf_hooks';
import { CookieJar, siteOf, type BrowserCookie } from './cookie-jar';
import { findAutoSubmitForm, type HtmlForm } from './html-form-parser';
import type { LaunchOptions, PreparedLaunch } from './platform-types';

export type { BrowserCookie, HtmlForm };

export interface BrowserPage {
  status: number;
  url: string;
  html: string;
  headers: Headers;
  /** Set when followForms is off and the page would have submitted this form by itself. */
  form?: HtmlForm;
}

export interface TestBrowserOptions {
  /** Submit auto-submitting forms (login initiation, id_token form_post) as a browser's script would. Default true. */
  followForms?: boolean;
  /** Requests one navigation may take, redirects and forms included. */
  maxSteps?: number;
  /** Told of every request once its response is read (benchmarks time the steps of a launch with it). */
  onResponse?: (r: { method: string; url: string; status: number; ms: number }) => void;
}

/** What launch() needs from the platform; structural so the browser can drive any platform double. */
export interface LaunchingPlatform {
  issuer: string;
  prepareLaunch(options: LaunchOptions): PreparedLaunch;
}

interface Navigation {
  url: string;
  method: 'GET' | 'POST';
  body?: URLSearchParams | FormData;
  headers?: Record<string, string>;
  /** The page the navigation started from; undefined when typed into the address bar. */
  initiator?: string;
}

const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'user-agent': 'WaymarkTestBrowser/1.0 (like Chrome)',
};

/** A small top-level browser over fetch: cookies, redirects and auto-submitting forms, no JavaScript. */
export class TestBrowser {
  private readonly jar = new CookieJar();
  private readonly followForms: boolean;
  private readonly maxSteps: number;
  private readonly onResponse: TestBrowserOptions['onResponse'];
  /** The page on screen; POSTs made through post() start from it. */
  private currentUrl: string | undefined;

  constructor(options: TestBrowserOptions = {}) {
    this.followForms = options.followForms ?? true;
    this.maxSteps = options.maxSteps ?? 20;
    this.onResponse = options.onResponse;
  }

  get(url: string, headers?: Record<string, string>): Promise<BrowserPage> {
    return this.navigate({ url, method: 'GET', headers });
  }

  post(url: string, fields: Record<string, string> | FormData, headers?: Record<string, string>): Promise<BrowserPage> {
    const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
    return this.navigate({ url, method: 'POST', body, headers, initiator: this.currentUrl });
  }

  /** Submits a form captured with followForms off, e.g. to replay an id_token. */
  submit(form: HtmlForm, from: string | undefined = this.currentUrl): Promise<BrowserPage> {
    return this.navigate(formNavigation(form, from));
  }

  /** The whole launch: login initiation from the platform, auth redirect, id_token post, tool redirect. */
  launch(platform: LaunchingPlatform, options: LaunchOptions): Promise<BrowserPage> {
    const { loginUrl, params } = platform.prepareLaunch(options);
    return this.navigate(formNavigation({ action: loginUrl, method: 'post', fields: params }, platform.issuer));
  }

  /** Cookies stored for a host ('127.0.0.1:3000') or for the host of a URL. */
  cookies(host: string): BrowserCookie[] {
    return this.jar.list(/^https?:\/\//.test(host) ? new URL(host).host : host);
  }

  private async navigate(start: Navigation): Promise<BrowserPage> {
    let nav = start;
    let crossSite = isCrossSite(nav.initiator, nav.url);
    for (let step = 0; step < this.maxSteps; step += 1) {
      const target = new URL(nav.url);
      const cookie = this.jar.cookieHeader(target, crossSite, nav.method);
      const origin = nav.method === 'POST' && nav.initiator ? new URL(nav.initiator).origin : undefined;
      const started = performance.now();
      const response = await fetch(target, {
        method: nav.method,
        body: nav.body,
        redirect: 'manual',
        headers: { ...BROWSER_HEADERS, ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}), ...nav.headers },
      });
      this.jar.store(target, response.headers.getSetCookie());

      const location = response.headers.get('location');
      const told = () => this.onResponse?.({ method: nav.method, url: target.toString(), status: response.status, ms: performance.now() - started });
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        told();
        const next = new URL(location, target).toString();
        const keepsMethod = response.status === 307 || response.status === 308;
        // A chain that ever left the initiator's site stays cross-site, as Chromium judges SameSite.
        crossSite ||= isCrossSite(nav.initiator, next);
        nav = keepsMethod ? { ...nav, url: next } : { url: next, method: 'GET', headers: nav.headers, initiator: nav.initiator };
        continue;
      }

      const html = await response.text();
      told();
      this.currentUrl = nav.url;
      const page: BrowserPage = { status: response.status, url: nav.url, html, headers: response.headers };
      const isHtml = (response.headers.get('content-type') ?? '').includes('text/html');
      const form = isHtml ? findAutoSubmitForm(html, nav.url) : undefined;
      if (!form) return page;
      if (!this.followForms) return { ...page, form };
      nav = formNavigation(form, nav.url);
      crossSite = isCrossSite(nav.initiator, nav.url);
    }
    throw new Error(`TestBrowser gave up after ${this.maxSteps} requests starting at ${start.url}`);
  }
}

function formNavigation(form: HtmlForm, from: string | undefined): Navigation {
  if (form.method === 'post') return { url: form.action, method: 'POST', body: new URLSearchParams(form.fields), initiator: from };
  const url = new URL(form.action);
  for (const [name, value] of Object.entries(form.fields)) url.searchParams.set(name, value);
  return { url: url.toString(), method: 'GET', initiator: from };
}

function isCrossSite(initiator: string | undefined, url: string): boolean {
  return initiator !== undefined && siteOf(new URL(initiator)) !== siteOf(new URL(url));
}
