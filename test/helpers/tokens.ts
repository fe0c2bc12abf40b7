import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** A key pair standing in for Google's: tokens signed here verify against `keys`. */
export async function testIssuer(audience: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const jwks = { keys: [jwk] };
  return {
    jwks,
    keys: createLocalJWKSet(jwks),
    async token(
      email: string,
      overrides: {
        audience?: string;
        issuer?: string;
        /** A relative time ('1h', '-1m') or seconds since the epoch. */
        expiresIn?: string | number;
        /** Seconds since the epoch; now when absent. */
        issuedAt?: number;
        emailVerified?: boolean;
      } = {},
    ) {
      return new SignJWT({ email, email_verified: overrides.emailVerified ?? true })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(overrides.issuer ?? 'https://accounts.google.com')
        .setAudience(overrides.audience ?? audience)
        .setIssuedAt(overrides.issuedAt)
        .setExpirationTime(overrides.expiresIn ?? '1h')
        .sign(privateKey);
    },
  };
}
