import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from 'jose';
import { idTokenSigner } from '../../sandbox/id-token';

/** A key pair standing in for Google's: tokens signed here verify against `keys`. */
export async function testIssuer(audience: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const jwks = { keys: [jwk] };
  return {
    jwks,
    keys: createLocalJWKSet(jwks),
    /** An ID token for `email` as Google would sign it; `overrides` make ones the API must refuse. */
    token: idTokenSigner(privateKey, { kid: 'test-key', audience }),
  };
}
