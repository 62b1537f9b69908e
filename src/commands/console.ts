import {randomBytes} from 'node:crypto';
import {statSync} from 'node:fs';
import {join} from 'node:path';
import {Command, Option} from 'clipanion';
import {childEnvironment, envValue} from '../env.js';
import {consoleHome, partitionOf, signinUrl} from '../aws/signin.js';
import {federationToken} from '../aws/sts.js';
import {removeOwnFiles, writeOwnFile} from '../private-folder.js';
import {cacheFolder} from '../cache/folder.js';
import {ConfigError} from '../errors.js';
import {quoted, visible} from '../terminal.js';
import {requestKind, sourceOrigin} from '../request.js';
import {RULES} from '../rules.js';
import {parseSpan} from '../time.js';
import {valueOf} from './base-command.js';
import {SessionCommand} from './session-command.js';
import type {Obtained} from '../cache/session-cache.js';
import {unlockSource} from '../keys/stores.js';

/** A sign-in page left for the browser is removed by the next `console` once it is this old (the URL lasts 15 minutes anyway). */
const PAGE_KEPT_MS = 60_000;

/** How long an opener is given to fail (no browser, no display) before awsmfa leaves it running and ends. */
const OPENER_WAIT_MS = 3_000;

const PAGE_NAME = /^console-[0-9a-f]{16}\.html$/;

/**
 * Whether a browser awsmfa starts can show anything: macOS and Windows have a desktop; elsewhere a graphical
 * session says so in DISPLAY or WAYLAND_DISPLAY. Without one, xdg-open falls back to a text browser (www-browser,
 * lynx, w3m) that has no terminal here, or to nothing: only a BROWSER of the user's own (a script that forwards
 * to another machine, WSL's wslview) may still show it. `graphical`: a browser will show; `browser`: BROWSER is
 * tried, and awsmfa cannot tell whether it showed; `none`: nothing can.
 */
function display(platform: NodeJS.Platform, env: Record<string, string | undefined>): `graphical` | `browser` | `none` {
  if (platform === `darwin` || platform === `win32` || envValue(env, `DISPLAY`) !== undefined || envValue(env, `WAYLAND_DISPLAY`) !== undefined)
    return `graphical`;
  return envValue(env, `BROWSER`) === undefined ? `none` : `browser`;
}

/** What opens a file in the person's browser, per platform. */
function opener(platform: NodeJS.Platform, file: string): [string, string[]] {
  if (platform === `darwin`)
    return [`open`, [file]];
  if (platform === `win32`)
    return [`cmd`, [`/d`, `/c`, `start`, `""`, file]];
  return [`xdg-open`, [file]];
}

const htmlAttribute = (value: string) => value.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);

export class ConsoleCommand extends SessionCommand {
  static override paths = [[`console`]];

  static override usage = Command.Usage({
    description: `open the AWS console in your browser, signed in with the session`,
    details: `
      Asks AWS's federation endpoint (getSigninToken) for a sign-in token for the session and opens the console's sign-in URL in your browser (xdg-open, open, start), or prints it with \`--print\`. The partition's endpoint is taken from the region (aws, aws-cn, aws-us-gov); AWS_ENDPOINT_URL_SIGNIN replaces it.

      A role profile signs in with the role's session, obtained as \`env\` obtains it (the cached MFA session, no code while it lasts). An IAM user without a role cannot: AWS's sign-in takes no GetSessionToken session. The one way there is GetFederationToken, signed by your long-term keys; AWS takes no MFA code with it, so that console session has NO MFA context, and whatever your policies deny without MFA is denied there too. awsmfa does it only when asked: \`--federation-token\`, or \`awsmfa_console = federation-token\` in the profile.

      The URL signs in anyone who opens it within 15 minutes: it is never written to stderr or a log, nor put on a command line. The browser is given a page in awsmfa's private cache folder (0600, beside the cached session itself) that forwards to it, removed by the next \`awsmfa console\` after a minute. \`--print\` writes it on stdout, for you to paste.
    `,
    examples: [
      [`Open the console as the role of profile admin`, `awsmfa console --profile admin`],
      [`Print the URL instead (e.g. for another browser profile)`, `awsmfa console --profile admin --print`],
      [`Straight to a service`, `awsmfa console --profile admin --destination https://console.aws.amazon.com/s3/home`],
      [`An IAM user without a role, knowing the session has no MFA`, `awsmfa console --federation-token`],
    ],
  });

  print = Option.Boolean(`--print`, false, {description: `Print the sign-in URL on stdout instead of opening a browser (it is a secret for 15 minutes)`});
  destination = Option.String(`--destination`, {description: `The console page to land on (default: the console's home in the profile's region)`, validator: valueOf(RULES.page)});
  federation = Option.Boolean(`--federation-token`, false, {description: `Without a role: sign in with a GetFederationToken session of your long-term keys, which has no MFA context`});

  async run() {
    this.givenCode();
    const {env} = this.context;
    // No browser can show the page: said before a code is spent, and never "opened" when nothing did.
    const shows = this.print ? `graphical` : display(this.context.platform, env);
    if (shows === `none`)
      throw new ConfigError(`no browser can show the console here: this session has no display (DISPLAY and WAYLAND_DISPLAY are unset) and no BROWSER; run awsmfa console --print and open the URL where you have a browser`);
    const files = this.loadFiles();
    const request = await this.resolveWithDevice(files);
    const region = request.configuredRegion ?? request.region;
    const setting = envValue(env, `AWS_ENDPOINT_URL_SIGNIN`);
    if (setting !== undefined && !RULES.endpoint.test(setting))
      throw new ConfigError(`AWS_ENDPOINT_URL_SIGNIN is ${quoted(setting)}, not ${RULES.endpoint.what}`);
    const endpoint = setting === undefined ? partitionOf(region).signin : `${setting.replace(/\/+$/, ``)}/federation`;
    const timeoutMs = this.timeoutMs();

    let session;
    // The role's session, said once the console is reached: a failure after it stays one line.
    let obtained: Obtained | undefined;
    let sessionDurationSeconds: number | undefined;
    const kind = requestKind(request);
    if (request.roles.length > 0 || kind.token !== undefined) {
      // A role's session; an Identity Center role's too (the portal's credentials are its role's session), and an
      // aws login session of a role (federated sign-in): AWS's sign-in takes those. A login of an IAM user or of
      // root is a session like GetSessionToken's, which it refuses; and without long-term keys there is no
      // GetFederationToken either.
      const login = kind.token?.source.kind === `login` && request.roles.length === 0 ? kind.token.source : undefined;
      if (login !== undefined && !/^arn:aws[\w-]*:sts::\d{12}:assumed-role\//.test(login.session))
        throw new ConfigError(`profile '${request.profile}' signs in with aws login as ${visible(login.session)}, not as a role, and AWS's console sign-in takes a role's session only: open the console in the browser aws login used (you are signed in there), or add a role profile with source_profile = ${login.profile}`);
      obtained = await this.obtain(request);
      session = obtained.credentials;
    } else {
      const keysRequest = kind.keys!;
      const configured = files.setting(request.profile, `awsmfa_console`);
      if (!this.federation && configured !== `federation-token`)
        throw new ConfigError(`profile '${request.profile}' has no role, and AWS's console sign-in takes no MFA session (GetSessionToken); the one way in is a GetFederationToken session of your long-term keys, which carries NO MFA context (what your policies deny without MFA stays denied there): run again with --federation-token to accept that (or set awsmfa_console = federation-token in the profile), or use a role profile`);
      this.context.warn(`signing in with a federation token of ${keysRequest.source.accessKeyId}: this console session has no MFA context`);
      const durationSeconds = this.durationSeconds === undefined ? request.durationSeconds : parseSpan(this.durationSeconds)! / 1000;
      session = await federationToken(await unlockSource(keysRequest.source, this.context, this.log), request, `awsmfa-${request.profile}`.replace(/[^\w+=,.@-]/g, `-`).slice(0, 32), durationSeconds, timeoutMs);
      sessionDurationSeconds = undefined;
    }
    const url = await signinUrl(session, {
      endpoint,
      endpointOrigin: setting === undefined ? undefined : `AWS_ENDPOINT_URL_SIGNIN`,
      sessionDurationSeconds,
      destination: this.destination ?? consoleHome(region),
      issuer: `awsmfa`,
      timeoutMs,
    });
    if (this.print) {
      if (obtained !== undefined)
        this.noteSession(request, obtained);
      this.context.out.write(`${url}\n`);
      return;
    }
    const [command] = await this.openInBrowser(url);
    if (obtained !== undefined)
      this.noteSession(request, obtained);
    const who = request.roleArn ?? (kind.token !== undefined ? sourceOrigin(kind.token.source) : `a federated user of ${kind.keys.source.accessKeyId}`);
    this.note(shows === `graphical`
      ? `opened the console in your browser, signed in as ${who} (the sign-in link works for 15 minutes)`
      : `handed the console's sign-in page (as ${who}) to ${command}, which runs BROWSER (${envValue(env, `BROWSER`)}); with no display awsmfa cannot tell whether it showed: if not, use --print`);
  }

  /**
   * Hands the URL to the browser through a page in the private cache folder, so that it never stands on a command
   * line (xdg-open's and the browser's argv are readable by every user of the machine while they run).
   */
  private async openInBrowser(url: string): Promise<[string, string[]]> {
    const {env, platform} = this.context;
    let page: string;
    try {
      const folder = cacheFolder(env, ``, true)!;
      const now = Date.now();
      removeOwnFiles(folder, PAGE_NAME, name => now - statSync(join(folder.path, name)).mtimeMs > PAGE_KEPT_MS);
      page = writeOwnFile(folder, `console-${randomBytes(8).toString(`hex`)}.html`, `<!DOCTYPE html>\n<meta charset="utf-8">\n<meta name="referrer" content="no-referrer">\n<meta http-equiv="refresh" content="0;url=${htmlAttribute(url)}">\n<title>AWS console</title>\n`);
    } catch (error) {
      throw new ConfigError(`cannot leave the sign-in page in awsmfa's cache folder (${(error as Error).message}); use --print and open the URL yourself`);
    }
    const [command, args] = opener(platform, page);
    const {spawn} = await import(`node:child_process`);
    // An opener may stay until the browser it started exits (xdg-open running a browser that was not running yet):
    // its failure shows within moments, and after that it is left to run on its own.
    const status = await new Promise<number | string>(resolve => {
      const child = spawn(command, args, {stdio: `ignore`, detached: platform !== `win32`, env: childEnvironment(env)});
      const timer = setTimeout(() => {
        child.unref();
        resolve(0);
      }, OPENER_WAIT_MS);
      child.on(`error`, error => {
        clearTimeout(timer);
        resolve((error as NodeJS.ErrnoException).code ?? error.message);
      });
      child.on(`exit`, (code, signal) => {
        clearTimeout(timer);
        resolve(code ?? signal ?? 1);
      });
    });
    if (status !== 0)
      throw new ConfigError(`${command} could not open a browser (${typeof status === `number` ? `exit status ${status}` : status}); use --print and open the URL yourself`);
    return [command, args];
  }
}
