import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';

/** The platform's RS256 signing key, published at the JWKS endpoint, plus a stranger key for forged tokens. */
export class PlatformKeys {
  private strangerKey: Promise<KeyLike> | undefined;

  private constructor(
    readonly kid: string,
    readonly privateKey: KeyLike,
    private readonly publicJwk: JWK,
  ) {}

  static async generate(): Promise<PlatformKeys> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
    const kid = randomBytes(10).toString('hex');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new PlatformKeys(kid, privateKey, publicJwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** Generated only when a test asks for a forged signature: RSA generation is slow. */
  unknownKey(): Promise<KeyLike> {
    this.strangerKey ??= generateKeyPair('RS256', { modulusLength: 2048 }).then((pair) => pair.privateKey);
    return this.strangerKey;
  }
}
