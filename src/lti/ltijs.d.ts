// Our own typings for the parts of ltijs 5.9.9 we use (@types/ltijs is years behind).
declare module 'ltijs' {
  import type { Express, Request, Response, NextFunction } from 'express';

  export interface LtijsPlatform {
    platformId(): Promise<string>;
    platformName(): Promise<string>;
    platformUrl(): Promise<string>;
    platformClientId(): Promise<string>;
    platformAuthEndpoint(): Promise<string>;
    platformAccessTokenEndpoint(): Promise<string>;
    platformActive(active?: boolean): Promise<boolean>;
    platformAccessToken(scopes: string): Promise<{ access_token: string; token_type: string; expires_in: number; scope?: string }>;
    platformJSON(): Promise<Record<string, unknown>>;
    delete(): Promise<boolean>;
  }

  export interface PlatformRegistration {
    url: string;
    name: string;
    clientId: string;
    authenticationEndpoint: string;
    accesstokenEndpoint: string;
    authorizationServer?: string;
    authConfig: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY'; key: string };
  }

  export type LtijsHandler = (req: Request, res: Response, next: NextFunction) => unknown;
  export type LtijsConnectHandler = (token: unknown, req: Request, res: Response, next: NextFunction) => unknown;

  export interface LtijsSetupOptions {
    appRoute?: string;
    loginRoute?: string;
    keysetRoute?: string;
    dynRegRoute?: string;
    cors?: boolean;
    devMode?: boolean;
    tokenMaxAge?: number | false;
    cookies?: { secure?: boolean; sameSite?: 'None' | 'Lax' | 'Strict'; domain?: string };
    serverAddon?: (app: Express) => void;
  }

  export interface LtijsProvider {
    app: Express;
    setup(key: string, database: { url: string; connection?: Record<string, unknown>; plugin?: object }, options: LtijsSetupOptions): LtijsProvider;
    deploy(options: { serverless: boolean; silent?: boolean }): Promise<boolean>;
    close(options?: { silent?: boolean }): Promise<boolean>;
    onConnect(handler: LtijsConnectHandler): void;
    onInvalidToken(handler: LtijsHandler): void;
    onSessionTimeout(handler: LtijsHandler): void;
    onUnregisteredPlatform(handler: LtijsHandler): void;
    onInactivePlatform(handler: LtijsHandler): void;
    registerPlatform(platform: PlatformRegistration): Promise<LtijsPlatform>;
    getPlatform(url: string, clientId: string): Promise<LtijsPlatform | false>;
    getPlatformById(platformId: string): Promise<LtijsPlatform | false>;
    getAllPlatforms(): Promise<LtijsPlatform[]>;
    deletePlatform(url: string, clientId: string): Promise<boolean>;
    keyset(): Promise<unknown>;
  }

  export const Provider: LtijsProvider;
}

// ltijs's own MongoDB store, which a database plugin may extend.
declare module 'ltijs/dist/Utils/Database' {
  export default class LtijsDatabase {
    constructor(database: { url: string; connection?: Record<string, unknown> });
    Get(encryptionKey: string | false, collection: string, query: Record<string, unknown>): Promise<unknown[] | false>;
    Insert(encryptionKey: string | false, collection: string, item: Record<string, unknown>, index?: Record<string, unknown>): Promise<boolean>;
    Replace(encryptionKey: string | false, collection: string, query: Record<string, unknown>, item: Record<string, unknown>, index?: Record<string, unknown>): Promise<boolean>;
    Modify(encryptionKey: string | false, collection: string, query: Record<string, unknown>, modification: Record<string, unknown>): Promise<boolean>;
    Delete(collection: string, query: Record<string, unknown>): Promise<boolean>;
  }
}
