/**
 * Who is calling the config API: a Google ID token from Apps Script (`ScriptApp.getIdentityToken()`),
 * verified for signature (Google's published keys), issuer, audience (our Apps Script OAuth client),
 * expiry and a verified e-mail. No shared secret that every editor of a spreadsheet could read.
 */

import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';

export const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
export const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

export type TokenVerifier = (token: string) => Promise<{ email: string }>;

export class AuthError extends Error {}

/** Verifies Google ID tokens; tests pass a local key set (`createLocalJWKSet`) instead of Google's. */
export function googleTokenVerifier(
  audience: string[],
  keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(GOOGLE_JWKS_URL)),
): TokenVerifier {
  return async (token) => {
    if (audience.length === 0)
      throw new AuthError('the server has no GOOGLE_CLIENT_IDS configured, so it accepts no token');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: GOOGLE_ISSUERS,
        audience,
        algorithms: ['RS256'],
      }));
    } catch (error) {
      throw new AuthError(`the ID token was refused: ${(error as Error).message}`);
    }
    if (payload.email_verified !== true || typeof payload.email !== 'string') {
      throw new AuthError('the ID token has no verified e-mail address');
    }
    return { email: payload.email.toLowerCase() };
  };
}
