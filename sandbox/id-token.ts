/**
 * ID tokens as Google signs them (RS256, issuer accounts.google.com, a verified email claim), signed with
 * a key the sandbox or a test made itself: the config API accepts them when its key set holds the public
 * half (TIERWISE_SANDBOX_JWKS in the sandbox, a local key set in tests). Nothing here runs in production.
 */

import { type CryptoKey, importJWK, type JWK, SignJWT } from 'jose';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** What a test may change to make a token the config API must refuse. */
export interface IdTokenOverrides {
  audience?: string;
  issuer?: string;
  /** A relative time ('1h', '-1m') or seconds since the epoch; '1h' when absent. */
  expiresIn?: string | number;
  /** Seconds since the epoch; now when absent. */
  issuedAt?: number;
  emailVerified?: boolean;
}

/**
 * Signs ID tokens for `audience` (the OAuth client ID the API expects) with `key` (a private key, or
 * its JWK: imported once), its key ID `kid` in the header. One hour unless overridden: the config API
 * refuses tokens that claim to live longer.
 */
export function idTokenSigner(key: CryptoKey | JWK, options: { kid: string; audience: string }) {
  const imported = 'kty' in key ? importJWK(key, 'RS256') : Promise.resolve(key);
  return async (email: string, overrides: IdTokenOverrides = {}): Promise<string> =>
    new SignJWT({ email, email_verified: overrides.emailVerified ?? true })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid })
      .setIssuer(overrides.issuer ?? GOOGLE_ISSUER)
      .setAudience(overrides.audience ?? options.audience)
      .setIssuedAt(overrides.issuedAt)
      .setExpirationTime(overrides.expiresIn ?? '1h')
      .sign(await imported);
}
