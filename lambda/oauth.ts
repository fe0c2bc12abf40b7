/**
 * Slack's OAuth v2 install flow, for one deployment serving many workspaces: `/slack/install` sends the
 * browser to Slack's consent page (with a state cookie against forged callbacks), `/slack/oauth_redirect`
 * exchanges the code for the workspace's bot token (`oauth.v2.access`) and keeps it in the installation
 * store. Bolt's own InstallProvider does the work; this file adapts Lambda's event to the Node-style
 * request and response it expects. Both paths answer 404 in single-workspace mode (no client secret).
 */

import { createHmac } from 'node:crypto';
import { InstallProvider } from '@slack/oauth';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { problem } from './http';
import { boltLogger } from './log';
import type { Services } from './services';
import type { SlackApp } from './slack/app';
import { slackClientOptions } from './slack/web-api';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The bot scopes the manifest asks for (test/lambda/oauth.test.ts keeps the two in step). */
export const BOT_SCOPES = ['commands', 'users:read', 'users:read.email'];

export const isSlackOAuthPath = (path: string): boolean => path === INSTALL_PATH || path === REDIRECT_PATH;

export async function handleSlackOAuth(
  services: Services,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  if (method !== 'GET') return problem(405, `${event.rawPath} answers GET only`);
  const { slackOAuth } = await services.secrets();
  if (!slackOAuth) {
    return problem(
      404,
      'this deployment runs in single-workspace mode: put the Slack client id and secret in its ' +
        'parameters to install it in other workspaces',
    );
  }
  const installerLog = boltLogger(services.log);
  const installer = new InstallProvider({
    clientId: slackOAuth.clientId,
    clientSecret: slackOAuth.clientSecret,
    // Derived, so there is no third secret to put; the state is a signed, expiring token.
    stateSecret: createHmac('sha256', slackOAuth.clientSecret).update('tierwise oauth state').digest('hex'),
    installationStore: services.installations,
    directInstall: true,
    // A forged or expired state, a cancelled consent: the person's doing, logged as warnings.
    logger: { ...installerLog, error: installerLog.warn },
    clientOptions: slackClientOptions(services.env),
  });
  const request = nodeRequest(event);
  const response = new CapturedResponse();
  if (event.rawPath === INSTALL_PATH) {
    await installer.handleInstallPath(request as never, response as never, undefined, {
      scopes: BOT_SCOPES,
      redirectUri: `${publicOrigin(event)}${REDIRECT_PATH}`,
    });
  } else {
    await installer.handleCallback(request as never, response as never, {
      successAsync: async (installation, _options, _req, res) => {
        services.log.info('slack app installed', {
          team: installation.team?.id ?? installation.enterprise?.id,
        });
        page(
          res as unknown as CapturedResponse,
          200,
          'Tierwise is installed',
          installedPage(installation.team?.name),
        );
      },
      failureAsync: async (error, _options, _req, res) => {
        services.log.warn('slack install failed', { error: error.code });
        page(res as unknown as CapturedResponse, 400, 'Tierwise was not installed', failedPage(error.code));
      },
    });
  }
  return response.result();
}

/** Uninstalling the app or revoking its token deletes the workspace's stored token. */
export function withInstallEvents(slack: SlackApp, services: Services): SlackApp {
  const forget = async (teamId: string | undefined, enterpriseId: string | undefined, isOrg: boolean) => {
    await services.installations.deleteInstallation({
      teamId: teamId as string,
      enterpriseId,
      isEnterpriseInstall: isOrg,
    });
    services.log.info('slack installation removed', { team: teamId ?? enterpriseId });
  };
  slack.app.event('app_uninstalled', async ({ body }) => {
    await forget(body.team_id, body.enterprise_id, body.is_enterprise_install === true);
  });
  slack.app.event('tokens_revoked', async ({ event, body }) => {
    if ((event.tokens.bot ?? []).length > 0)
      await forget(body.team_id, body.enterprise_id, body.is_enterprise_install === true);
  });
  return slack;
}

/**
 * The address the browser used: Slack must send it back to the same host. A Function URL's `host` is
 * its own domain; behind a proxy set the Host header through.
 */
function publicOrigin(event: APIGatewayProxyEventV2): string {
  const host = event.headers?.host ?? event.requestContext?.domainName ?? 'localhost';
  const scheme = event.headers?.['x-forwarded-proto'] ?? 'https';
  return `${scheme}://${host}`;
}

/** What InstallProvider reads from a request: the URL with its query, the host and the cookies. */
function nodeRequest(event: APIGatewayProxyEventV2) {
  const cookie = event.cookies?.join('; ') ?? event.headers?.cookie;
  return {
    url: `${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`,
    headers: { host: event.headers?.host ?? 'localhost', ...(cookie ? { cookie } : {}) },
  };
}

/** What InstallProvider writes to a response, kept to become the Function URL's answer. */
class CapturedResponse {
  statusCode = 200;
  private readonly headers: Record<string, string> = {};
  private cookies: string[] = [];
  private body = '';

  setHeader(name: string, value: string | string[]): this {
    if (name.toLowerCase() === 'set-cookie') this.cookies = ([] as string[]).concat(value);
    else this.headers[name.toLowerCase()] = String(value);
    return this;
  }
  getHeader(name: string): string | string[] | undefined {
    return name.toLowerCase() === 'set-cookie' ? this.cookies : this.headers[name.toLowerCase()];
  }
  writeHead(status: number, headers: Record<string, string> = {}): this {
    this.statusCode = status;
    for (const [name, value] of Object.entries(headers)) this.setHeader(name, value);
    return this;
  }
  end(body = ''): this {
    this.body = body;
    return this;
  }
  result(): APIGatewayProxyStructuredResultV2 {
    return { statusCode: this.statusCode, headers: this.headers, cookies: this.cookies, body: this.body };
  }
}

function page(res: CapturedResponse, status: number, title: string, content: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.writeHead(status);
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
      '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
      `<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; line-height: 1.5">` +
      `<h1>${title}</h1>${content}</body></html>`,
  );
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function installedPage(teamName: string | undefined): string {
  const where = teamName ? ` in <b>${escapeHtml(teamName)}</b>` : '';
  return (
    `<p>The Tierwise bot is now in your Slack workspace${where}. One step remains: connect it to ` +
    'your organisation, so it knows whose customers to show.</p><ol>' +
    '<li>In the Google Sheet, open <b>Extensions → Tierwise → Connect Slack</b> and copy the code ' +
    '(a manager can also run <code>tierwise org link-code --org YOUR-ORG</code>).</li>' +
    '<li>In Slack, type <code>/tier link CODE</code>.</li></ol>'
  );
}

function failedPage(code: string | undefined): string {
  const why =
    code === 'slack_oauth_installer_authorization_error'
      ? 'The installation was cancelled in Slack.'
      : code === 'slack_oauth_invalid_state' || code === 'slack_oauth_missing_state'
        ? 'This link has expired or was opened in another browser.'
        : 'Slack did not confirm the installation.';
  return `<p>${why}</p><p><a href="${INSTALL_PATH}">Start the installation again</a>.</p>`;
}
