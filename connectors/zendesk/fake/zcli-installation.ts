/**
 * What the fake Zendesk agent page needs to host an app the way Zendesk does with `?zcli_apps=true`: Zendesk
 * then reads `GET <zcli server>/app.json` and frames each location from the app's `asset_url_prefix` ("Using
 * ZCLI", developer.zendesk.com/documentation/apps/getting-started/using-zcli/). Pure: it turns that app.json and
 * the app's `manifest.json` into the page's inputs.
 *
 * The shape of app.json is zcli's own (`@zendesk/zcli-apps` `lib/buildAppJSON`): `apps[]` with
 * `asset_url_prefix` `http://localhost:<port>/<app id>/assets/` and `locations.<product>.<location>` objects
 * (`{ url: 'assets/…', size?, flexible?, svg? }`), and `installations[]` whose `settings` is an **array of
 * one-key objects** (`[{ title }, { <parameter>: value }, …]`). zcli puts every parameter there, secure ones
 * included, in clear: it is a development server. Zendesk itself never hands a secure setting to the browser
 * (`client.metadata()` leaves it out; only the request proxy fills `{{setting.<name>}}` in), so this module
 * splits the settings by the manifest's `parameters[].secure`, and only the public ones may reach the page.
 */
import { z } from 'zod';
import { SambungError } from '../../../bridge-server/src/errors.js';
import type { AppLocation } from '../fake-host/fake-host-config.js';

/** An app.json or manifest.json the fake cannot host. `detail.issues` lists every problem, by path. */
export class ZcliInstallationError extends SambungError {
  static malformed(what: string, issues: readonly string[]): ZcliInstallationError {
    return new ZcliInstallationError('CONFIG_INVALID', `${what} is malformed:\n  ${issues.join('\n  ')}`, {
      detail: { issues: [...issues] },
    });
  }
  static unusable(reason: string): ZcliInstallationError {
    return new ZcliInstallationError('CONFIG_INVALID', `zcli app.json cannot be hosted: ${reason}`, { detail: { issues: [reason] } });
  }
}

const settingValue = z.union([z.string(), z.number(), z.boolean()]);

const zcliLocation = z.looseObject({
  url: z.string().min(1),
  size: z.object({ width: z.string().min(1), height: z.string().min(1) }).optional(),
  flexible: z.boolean().optional(),
  svg: z.string().optional(),
});

const zcliApp = z.looseObject({
  name: z.string(),
  id: z.string().min(1),
  default_locale: z.string(),
  asset_url_prefix: z.url({ protocol: /^https?$/ }).refine((url) => url.endsWith('/'), 'must end with "/"'),
  version: z.string().optional(),
  framework_version: z.string(),
  single_install: z.boolean().optional(),
  /** `<product>` (`support`, `sell`, `chat`) → `<location>` → its page. */
  locations: z.record(z.string(), z.record(z.string(), zcliLocation)).optional(),
});

/** One installation setting: zcli writes each as its own `{ name: value }` object. */
const zcliSetting = z.record(z.string(), settingValue)
  .refine((setting) => Object.keys(setting).length === 1, 'each setting must be one { name: value } object');

const zcliInstallationSchema = z.looseObject({
  app_id: z.string().min(1),
  id: z.string().min(1),
  name: z.string().optional(),
  enabled: z.boolean(),
  settings: z.array(zcliSetting),
});

/** `GET /app.json` of `zcli apps:server`, as far as Zendesk (and this fake) read it. */
export const zcliAppJsonSchema = z.object({
  apps: z.array(zcliApp),
  installations: z.array(zcliInstallationSchema),
});
export type ZcliAppJson = z.infer<typeof zcliAppJsonSchema>;

/** The parts of `manifest.json` that decide what the browser may see and where secrets may go. */
const manifestSchema = z.looseObject({
  parameters: z.array(z.looseObject({ name: z.string().min(1), secure: z.boolean().optional() })).optional(),
  domainWhitelist: z.array(z.string()).optional(),
});

/** The fake agent page's inputs for one zcli-served app. */
export interface ZcliInstallation {
  readonly appId: string;
  readonly installationId: string;
  readonly name: string;
  /** `asset_url_prefix`: every location's page is relative to it (e.g. `http://localhost:4567/0/assets/`). */
  readonly assetBaseUrl: string;
  /** Page of each location the fake hosts, relative to {@link assetBaseUrl} (manifest `assets/x.html` → `x.html`). */
  readonly locations: Readonly<Record<AppLocation, string>>;
  /** `location.support.top_bar.size`, when the manifest sets one. */
  readonly topBarSize: { readonly width: string; readonly height: string } | null;
  readonly settings: {
    /** What `client.metadata().settings` returns: `title` and every non-secure parameter. */
    readonly public: Readonly<Record<string, string | number | boolean>>;
    /** `secure: true` parameters: for the request proxy only, never for the browser. */
    readonly secure: Readonly<Record<string, string>>;
  };
  /** The manifest's `domainWhitelist` (app.json does not carry it), `{{setting.…}}` left for the proxy to expand. */
  readonly domainWhitelist: readonly string[];
}

const HOSTED: readonly AppLocation[] = ['background', 'top_bar', 'ticket_sidebar', 'user_sidebar'];
const ASSETS = 'assets/';

/** Validates a zcli app.json; throws {@link ZcliInstallationError} listing every problem. */
export function parseZcliAppJson(json: unknown): ZcliAppJson {
  const parsed = zcliAppJsonSchema.safeParse(json);
  if (!parsed.success) throw ZcliInstallationError.malformed('zcli app.json', issuesOf(parsed.error));
  return parsed.data;
}

/**
 * The fake page's inputs from zcli's app.json and the app's manifest.json (both as parsed JSON). zcli serves one
 * app per folder given; this expects exactly one app and its installation, with a Support page for each of
 * `background`, `top_bar`, `ticket_sidebar` and `user_sidebar` under `assets/`.
 *
 * @throws {ZcliInstallationError} on a malformed app.json or manifest, or an app the fake page cannot host.
 */
export function zcliInstallation(appJson: unknown, manifest: unknown): ZcliInstallation {
  const json = parseZcliAppJson(appJson);
  const parsedManifest = manifestSchema.safeParse(manifest);
  if (!parsedManifest.success) throw ZcliInstallationError.malformed('manifest.json', issuesOf(parsedManifest.error));
  const { parameters = [], domainWhitelist = [] } = parsedManifest.data;

  if (json.apps.length !== 1) throw ZcliInstallationError.unusable(`expected one app, found ${json.apps.length}`);
  const app = json.apps[0]!;
  const installations = json.installations.filter((candidate) => candidate.app_id === app.id);
  if (installations.length !== 1) {
    throw ZcliInstallationError.unusable(`expected one installation of app ${app.id}, found ${installations.length}`);
  }
  const installation = installations[0]!;

  const support = app.locations?.['support'] ?? {};
  const locations = Object.fromEntries(HOSTED.map((name) => [name, assetPage(name, support[name]?.url, app.asset_url_prefix)])) as
    Record<AppLocation, string>;
  const size = support['top_bar']?.size;

  const secureNames = new Set(parameters.filter((parameter) => parameter.secure === true).map((parameter) => parameter.name));
  const publicSettings: Record<string, string | number | boolean> = {};
  const secureSettings: Record<string, string> = {};
  const seen = new Set<string>();
  for (const setting of installation.settings) {
    const [name, value] = Object.entries(setting)[0]!;
    if (seen.has(name)) throw ZcliInstallationError.unusable(`setting "${name}" appears twice in installation ${installation.id}`);
    seen.add(name);
    if (secureNames.has(name)) secureSettings[name] = String(value);
    else publicSettings[name] = value;
  }

  return {
    appId: app.id,
    installationId: installation.id,
    name: app.name,
    assetBaseUrl: app.asset_url_prefix,
    locations,
    topBarSize: size ? { width: size.width, height: size.height } : null,
    settings: { public: publicSettings, secure: secureSettings },
    domainWhitelist: [...domainWhitelist],
  };
}

/**
 * `assets/top_bar.html` → `top_bar.html`. Anything else — an absolute URL, a page outside `assets/`, or one that
 * climbs out of it once resolved against the prefix (`..`, `%2e%2e`, a backslash) — is refused: the fake frames
 * only the app's own assets.
 */
function assetPage(location: AppLocation, url: string | undefined, base: string): string {
  if (url === undefined) throw ZcliInstallationError.unusable(`the app has no support.${location} location`);
  const page = url.startsWith(ASSETS) ? url.slice(ASSETS.length) : '';
  const resolved = page === '' || /^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(page) || page.includes('\\') ? null : new URL(page, base);
  if (!resolved || !resolved.href.startsWith(base) || resolved.pathname.length <= new URL(base).pathname.length) {
    throw ZcliInstallationError.unusable(`support.${location} is "${url}", not a page under ${ASSETS}`);
  }
  return page;
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}
