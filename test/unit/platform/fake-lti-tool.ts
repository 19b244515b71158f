import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cookieParser from 'cookie-parser';
import express from 'express';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import type { TestPlatform } from '../../platform';

/** The smallest LTI 1.3 tool that can prove the platform right: OIDC login, id_token check, dynamic registration. */
export class FakeLtiTool {
  clientId = '';
  /** Sent as redirect_uri in the auth request; tests point it elsewhere to provoke a refusal. */
  redirectUri: string;
  /** Sent as the lti-tool-configuration domain during dynamic registration. */
  registrationDomain: string;
  readonly launches: JWTPayload[] = [];
  private readonly nonceByState = new Map<string, string>();
  private readonly usedNonces = new Set<string>();
  private readonly sessions = new Map<string, JWTPayload>();

  private constructor(
    readonly baseUrl: string,
    private readonly server: Server,
    private readonly privateKey: KeyLike,
    private readonly platform: TestPlatform,
  ) {
    this.redirectUri = `${baseUrl}/launch`;
    this.registrationDomain = new URL(baseUrl).host;
  }

  get loginUrl(): string {
    return `${this.baseUrl}/login`;
  }

  get jwksUrl(): string {
    return `${this.baseUrl}/jwks`;
  }

  static async start(platform: TestPlatform): Promise<FakeLtiTool> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'fake-tool-key', alg: 'RS256', use: 'sig' };
    const app = express();
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const tool = new FakeLtiTool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, privateKey, platform);
    tool.mountRoutes(app, publicJwk);
    return tool;
  }

  registerManually(): { clientId: string; deploymentId: string } {
    const registered = this.platform.registerToolManually({
      loginUrl: this.loginUrl,
      targetLinkUri: `${this.baseUrl}/launch`,
      jwksUrl: this.jwksUrl,
      name: 'Fake tool',
    });
    this.clientId = registered.clientId;
    return registered;
  }

  /** A client assertion for the token endpoint, signed with this tool's key unless another is given. */
  async clientAssertion(overrides: { audience?: string; expiresIn?: string; key?: KeyLike } = {}): Promise<string> {
    return new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: 'fake-tool-key' })
      .setIssuer(this.clientId)
      .setSubject(this.clientId)
      .setAudience(overrides.audience ?? this.platform.endpoints.tokenUrl)
      .setIssuedAt()
      .setExpirationTime(overrides.expiresIn ?? '60s')
      .sign(overrides.key ?? this.privateKey);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private mountRoutes(app: express.Express, publicJwk: object): void {
    const platformKeys = createRemoteJWKSet(new URL(this.platform.endpoints.jwksUrl));
    app.use(cookieParser(), express.urlencoded({ extended: false }));

    app.get('/jwks', (_req, res) => {
      res.json({ keys: [publicJwk] });
    });

    app.all('/login', (req, res) => {
      const params = { ...req.query, ...(req.body as Record<string, string>) } as Record<string, string>;
      if (params.iss !== this.platform.issuer) return void res.status(400).send('unknown issuer');
      const state = randomUUID();
      const nonce = randomUUID();
      this.nonceByState.set(state, nonce);
      // Cross-site form_post from the platform must carry it back, hence SameSite=None; Secure.
      res.cookie('lti_state', state, { httpOnly: true, sameSite: 'none', secure: true });
      const auth = new URL(this.platform.endpoints.authUrl);
      const query = {
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: params.client_id ?? '',
        redirect_uri: this.redirectUri,
        login_hint: params.login_hint ?? '',
        lti_message_hint: params.lti_message_hint ?? '',
        nonce,
        state,
      };
      for (const [name, value] of Object.entries(query)) auth.searchParams.set(name, value);
      res.redirect(302, auth.toString());
    });

    app.post('/launch', async (req, res) => {
      const body = req.body as Record<string, string>;
      const cookies = req.cookies as Record<string, string>;
      if (!body.state || cookies.lti_state !== body.state) return void res.status(401).send('state mismatch');
      try {
        const { payload } = await jwtVerify(body.id_token ?? '', platformKeys, { issuer: this.platform.issuer, audience: this.clientId });
        const expectedNonce = this.nonceByState.get(body.state);
        if (typeof payload.nonce !== 'string' || payload.nonce !== expectedNonce || this.usedNonces.has(payload.nonce)) {
          return void res.status(401).send('nonce mismatch or replay');
        }
        this.usedNonces.add(payload.nonce);
        this.launches.push(payload);
        const session = randomUUID();
        this.sessions.set(session, payload);
        res.cookie('tool_session', session, { httpOnly: true, sameSite: 'lax' }).redirect(302, '/app');
      } catch (error) {
        res.status(401).send(`id_token rejected: ${error instanceof Error ? error.message : String(error)}`);
      }
    });

    app.get('/app', (req, res) => {
      const claims = this.sessions.get((req.cookies as Record<string, string>).tool_session ?? '');
      if (!claims) return void res.status(401).send('no session');
      res.type('html').send(`<!DOCTYPE html><title>Fake tool</title><p>Hello ${String(claims.sub)}</p>`);
    });

    // Dynamic registration the way a tool answers Moodle: read the configuration, post the registration.
    app.get('/register', async (req, res) => {
      const configurationUrl = String(req.query.openid_configuration);
      const configuration = (await (await fetch(configurationUrl)).json()) as { registration_endpoint: string };
      const response = await fetch(configuration.registration_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${String(req.query.registration_token)}` },
        body: JSON.stringify(this.registration()),
      });
      const answer = await response.text();
      if (response.ok) this.clientId = (JSON.parse(answer) as { client_id: string }).client_id;
      res.status(response.status).type('text/plain').send(answer);
    });
  }

  registration(): Record<string, unknown> {
    return {
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: this.loginUrl,
      redirect_uris: [`${this.baseUrl}/launch`],
      client_name: 'Fake tool',
      jwks_uri: this.jwksUrl,
      token_endpoint_auth_method: 'private_key_jwt',
      scope: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      'https://purl.imsglobal.org/spec/lti-tool-configuration': {
        domain: this.registrationDomain,
        target_link_uri: `${this.baseUrl}/launch`,
        claims: ['iss', 'sub', 'name', 'email'],
        messages: [{ type: 'LtiResourceLinkRequest' }],
      },
    };
  }
}
