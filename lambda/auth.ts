/**
 * Who is calling the config API: a Google ID token from Apps Script (`ScriptApp.getIdentityToken()`),
 * verified for signature (Google's published keys), issuer, audience (our Apps Script OAuth client),
 * expiry and a verified e-mail. No shared secret that every editor of a spreadsheet could read.
 */

import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';

export const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
export const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/** Google's ID tokens live one hour; one older than that (by its `iat`) is refused even if `exp` says otherwise. */
export const MAX_TOKEN_AGE_SECONDS = 3600;
/** Clocks disagree a little: tokens issued up to this far in our future are still accepted. */
export const CLOCK_SKEW_SECONDS = 300;

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
        requiredClaims: ['iat', 'exp'],
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        clockTolerance: CLOCK_SKEW_SECONDS,
      }));
    } catch (error) {
      throw new AuthError(`the ID token was refused: ${(error as Error).message}`);
    }
    // A token that claims to live longer than Google's ever do was not made by Google's sign-in.
    const lifetime = Number(payload.exp) - Number(payload.iat);
    if (!(lifetime > 0 && lifetime <= MAX_TOKEN_AGE_SECONDS + CLOCK_SKEW_SECONDS)) {
      throw new AuthError(
        `the ID token was refused: it claims to be valid for ${lifetime} seconds; at most ${MAX_TOKEN_AGE_SECONDS} are accepted`,
      );
    }
    if (payload.email_verified !== true || typeof payload.email !== 'string') {
      throw new AuthError('the ID token has no verified e-mail address');
    }
    return { email: payload.email.toLowerCase() };
  };
}
