/**
 * Local checks for a Zendesk Apps framework (ZAF v2) package: the rules that `zcli apps:validate` and the
 * Marketplace upload apply on Zendesk's servers, which cannot be reached here. Every rule cites the page (or the
 * source of Zendesk's own validator, zendesk/zendesk_apps_support) it comes from. A package is a flat map of
 * zip-root-relative POSIX paths to bytes — the shape fflate's `unzipSync` returns — so the packaging script checks
 * what it is about to zip and a test checks what it unzipped, with the same code.
 */

const ZAS = 'https://github.com/zendesk/zendesk_apps_support/blob/master/lib/zendesk_apps_support/validations';
const DEV = 'https://developer.zendesk.com/documentation';

/** Zendesk's pages the rules come from (cited in every issue). */
export const DOCS = {
  manifest: `${DEV}/apps/app-developer-guide/manifest/`,
  zasManifest: `${ZAS}/manifest.rb`,
  zasTranslations: `${ZAS}/translations.rb`,
  zasSecure: `${ZAS}/secure_settings.rb`,
  zasMime: `${ZAS}/mime.rb`,
  zasSvg: `${ZAS}/svg.rb`,
  secureSettings: `${DEV}/apps/app-developer-guide/making-api-requests-from-a-zendesk-app/`,
  setup: `${DEV}/apps/app-developer-guide/setup`,
  styling: 'https://developer.zendesk.com/apps/docs/developer-guide/styling',
  brandAssets: `${DEV}/apps/publish-your-app-or-theme/create_assets`,
  content: `${DEV}/apps/publish-your-app-or-theme/create_content/`,
  talkGuidelines: `${DEV}/voice/talk-partner-edition/guidelines/`,
  privateApp: `${DEV}/apps/getting-started/uploading-and-installing-a-private-app/`,
  zcliPackage: 'https://github.com/zendesk/zcli/blob/master/packages/zcli-apps/src/lib/package.ts',
};

/** Numbers from those pages. */
export const LIMITS = {
  /** "The file size limit of the zip file for a private app is 2 MB" (privateApp); read as 2,000,000 bytes. */
  maxZipBytes: 2_000_000,
  /** Talk Partner Edition guidelines, "Call console size" (talkGuidelines). */
  callConsole: { minWidth: 250, maxWidth: 320, minHeight: 405, maxHeight: 520 },
  /** "Large icon … logo.png … 320x320", "Small icon … logo-small.png … 128x128" (brandAssets). */
  logos: { 'assets/logo.png': 320, 'assets/logo-small.png': 128 },
  /** "The maximum length is 40 characters" (name) and 80 (short description) (content). */
  maxNameChars: 40,
  maxShortDescriptionChars: 80,
};

const FRAMEWORK_VERSION = '2.0';
const VALID_LOCALE = /^[a-z]{2}(-\w{2,3})?$/;
const PARAMETER_TYPES = ['text', 'password', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth'];
const SECURABLE_NAME = /token|key|pwd|password/i;
const BOOLEAN_FIELDS = ['private', 'singleInstall', 'signedUrls', 'requirementsOnly', 'marketingOnly'];
const STRING_FIELDS = ['name', 'version', 'defaultLocale', 'frameworkVersion', 'termsConditionsURL', 'gaID'];
/** zendesk_apps_support location.rb, by product; `zendesk`/`zopim` are the legacy host names. */
const LOCATIONS = {
  support: ['top_bar', 'nav_bar', 'ticket_sidebar', 'new_ticket_sidebar', 'user_sidebar', 'organization_sidebar',
    'background', 'modal', 'ticket_editor', 'system_top_bar'],
  chat: ['chat_sidebar', 'background'],
  sell: ['deal_card', 'person_card', 'company_card', 'lead_card', 'background', 'modal', 'dashboard', 'note_editor',
    'call_log_editor', 'email_editor'],
};
const HOST_ALIASES = { zendesk: 'support', zopim: 'chat' };
/** package.rb LOCATIONS_WITH_ICONS: these locations show an icon the agent clicks (styling). */
const ICON_LOCATIONS = ['top_bar', 'nav_bar', 'system_top_bar', 'ticket_editor'];
/** "Asset file types that are accepted include …" (styling). */
const ASSET_TYPES = ['png', 'jpg', 'jpeg', 'gif', 'svg', 'js', 'htm', 'html', 'css', 'map', 'eot', 'woff', 'woff2',
  'otf', 'ttf', 'json', 'xml', 'hbs', 'hdbs'];
/** mime.rb UNSUPPORTED_MIME_TYPES (matched on the extension). */
const BLOCKED_EXTENSIONS = ['rar', 'zip', 'gz', 'gzip', 'pdf', 'doc', 'docx', 'avi', 'bin', 'bz', 'bz2', 'csh', 'sh',
  'jar', 'mp3', 'mpeg', 'odt', 'pptx', 'ppt', 'xls', 'xlsx', '7z'];
const MARKETPLACE_KEYS = ['name', 'short_description', 'long_description', 'installation_instructions'];
const LOCATION_FLAGS = ['flexible', 'autoLoad', 'autoHide', 'signed'];
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const SETTING_PLACEHOLDER = /^\{\{setting\.([A-Za-z0-9_]+)\}\}((?:\.[a-z0-9-]+)*)$/i;

const text = new TextDecoder('utf-8', { fatal: false });

/**
 * Checks a package and returns every problem found (an empty list means it passes).
 * @param {Readonly<Record<string, Uint8Array>>} files zip-root-relative POSIX paths → bytes; directory entries (ending
 *   in `/`) are ignored.
 * @param {{ zipSize?: number }} [options] `zipSize`: the zip's size in bytes, checked against the upload limit.
 * @returns {import('./zendesk-app-rules.d.mts').ZendeskAppIssue[]}
 */
export function validateZendeskApp(files, options = {}) {
  /** @type {import('./zendesk-app-rules.d.mts').ZendeskAppIssue[]} */
  const issues = [];
  const add = (code, message, doc, path) => {
    issues.push(path === undefined ? { code, message, doc } : { code, message, doc, path });
  };
  const paths = Object.keys(files).filter((p) => !p.endsWith('/'));
  const has = (p) => paths.includes(p);

  checkFiles(paths, add);
  if (options.zipSize !== undefined && options.zipSize > LIMITS.maxZipBytes) {
    add('package_too_large', `the zip is ${options.zipSize} bytes; the upload limit is ${LIMITS.maxZipBytes}`,
      DOCS.privateApp);
  }
  const manifest = readManifest(files, paths, add);
  if (manifest) {
    checkFields(manifest, add);
    checkLocations(manifest, files, has, add);
    checkParameters(manifest, add);
    checkWhitelist(manifest, add);
  }
  checkTranslations(manifest, files, paths, add);
  checkLogos(files, has, add);
  checkHtmlReferences(files, paths, has, add);
  return issues;
}

/** Renders issues one a line for a terminal. */
export function formatIssues(issues) {
  return issues
    .map((i) => `✗ [${i.code}] ${i.path ? `${i.path}: ` : ''}${i.message} (${i.doc})`)
    .join('\n');
}

/**
 * Width, height, bit depth and colour type from a PNG's IHDR chunk, or `null` when the bytes are not a PNG.
 * @param {Uint8Array} bytes
 */
export function readPngHeader(bytes) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 33 || signature.some((b, i) => bytes[i] !== b)) return null;
  if (text.decode(bytes.subarray(12, 16)) !== 'IHDR') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: bytes[24], colorType: bytes[25] };
}

function checkFiles(paths, add) {
  for (const path of paths) {
    const segments = path.split('/');
    const ext = (segments.at(-1).match(/\.([^.]+)$/)?.[1] ?? '').toLowerCase();
    if (segments.some((s) => s.startsWith('.')) || segments.includes('node_modules') || segments[0] === 'tmp') {
      // zcli packages the app folder minus tmp/ and dotfiles (its glob skips them); dependencies belong in the
      // bundles, and a node_modules/ alone exceeds the upload limit.
      add('forbidden_file', 'dotfiles, node_modules/ and tmp/ must not be packaged', DOCS.zcliPackage, path);
    } else if (BLOCKED_EXTENSIONS.includes(ext)) {
      add('forbidden_file', `.${ext} files are rejected by Zendesk's MIME check`, DOCS.zasMime, path);
    } else if (segments[0] === 'assets' && !ASSET_TYPES.includes(ext)) {
      add('unsupported_asset_type', `.${ext || '(none)'} is not an accepted asset type`, DOCS.styling, path);
    }
  }
}

function readManifest(files, paths, add) {
  if (!files['manifest.json']) {
    const nested = paths.find((p) => /^[^/]+\/manifest\.json$/.test(p));
    if (nested) add('nested_manifest', `manifest.json must be at the zip root, not ${nested}`, DOCS.zasManifest, nested);
    else add('missing_manifest', 'manifest.json is missing from the zip root', DOCS.zasManifest);
    return null;
  }
  let manifest;
  try {
    manifest = JSON.parse(text.decode(files['manifest.json']));
  } catch (error) {
    add('manifest_not_json', `manifest.json is not JSON: ${error.message}`, DOCS.zasManifest, 'manifest.json');
    return null;
  }
  if (!isObject(manifest)) {
    add('manifest_not_json', 'manifest.json must hold a JSON object', DOCS.zasManifest, 'manifest.json');
    return null;
  }
  return manifest;
}

function checkFields(m, add) {
  for (const field of ['author', 'defaultLocale', 'frameworkVersion', 'location']) {
    if (m[field] === undefined) add('missing_field', `"${field}" is required`, DOCS.manifest, 'manifest.json');
  }
  for (const field of STRING_FIELDS) {
    if (m[field] !== undefined && typeof m[field] !== 'string') {
      add('invalid_field_type', `"${field}" must be a string`, DOCS.zasManifest, 'manifest.json');
    }
  }
  for (const field of BOOLEAN_FIELDS) {
    if (m[field] !== undefined && typeof m[field] !== 'boolean') {
      add('invalid_field_type', `"${field}" must be a boolean`, DOCS.zasManifest, 'manifest.json');
    }
  }
  if (m.author !== undefined) {
    // The Marketplace listing shows all three (content); the validator wants strings and an http(s) url.
    const author = isObject(m.author) ? m.author : {};
    for (const key of ['name', 'email', 'url']) {
      if (typeof author[key] !== 'string' || author[key].trim() === '') {
        add('invalid_author', `author.${key} must be a non-empty string`, DOCS.content, 'manifest.json');
      }
    }
    if (typeof author.url === 'string' && !/^https?:\/\//.test(author.url)) {
      add('invalid_author', 'author.url must be an http(s) URL', DOCS.zasManifest, 'manifest.json');
    }
  }
  if (m.frameworkVersion !== undefined && m.frameworkVersion !== FRAMEWORK_VERSION) {
    // Iframe (URL) locations need framework 2.0 (zasManifest: locations_cant_be_urls / invalid_version).
    add('invalid_framework_version', `frameworkVersion must be "${FRAMEWORK_VERSION}"`, DOCS.manifest, 'manifest.json');
  }
  if (typeof m.defaultLocale === 'string' && !VALID_LOCALE.test(m.defaultLocale)) {
    add('invalid_default_locale', `"${m.defaultLocale}" is not a valid locale`, DOCS.zasManifest, 'manifest.json');
  }
}

function checkLocations(m, files, has, add) {
  if (m.location === undefined) return;
  if (!isObject(m.location)) {
    add('invalid_location', 'location must map products to their locations', DOCS.manifest, 'manifest.json');
    return;
  }
  for (const [host, locations] of Object.entries(m.location)) {
    const product = HOST_ALIASES[host] ?? host;
    if (!LOCATIONS[product]) {
      add('invalid_host', `"${host}" is not a Zendesk product`, DOCS.zasManifest, 'manifest.json');
      continue;
    }
    if (!isObject(locations)) {
      // Framework 2 locations are iframes: names mapped to a URL or an options object (zasManifest).
      add('invalid_location', `location.${host} must map location names to URLs`, DOCS.manifest, 'manifest.json');
      continue;
    }
    for (const [name, value] of Object.entries(locations)) {
      const where = `location.${host}.${name}`;
      if (!LOCATIONS[product].includes(name)) {
        add('invalid_location', `${where} is not a location of ${product}`, DOCS.zasManifest, 'manifest.json');
        continue;
      }
      const options = typeof value === 'string' ? { url: value } : isObject(value) ? value : {};
      checkLocationUrl(where, options, has, add);
      for (const flag of LOCATION_FLAGS) {
        if (options[flag] !== undefined && typeof options[flag] !== 'boolean') {
          add('invalid_location_option', `${where}.${flag} must be a boolean`, DOCS.zasManifest, 'manifest.json');
        }
      }
      checkSize(where, name, options.size, add);
      if (product === 'support' && ICON_LOCATIONS.includes(name)) checkIcon(name, files, has, add);
    }
  }
}

function checkLocationUrl(where, options, has, add) {
  const url = options.url;
  if (typeof url !== 'string' || url === '') {
    // A location that loads (autoLoad defaults to true) needs a URI (zasManifest: blank_location_uri).
    if (options.autoLoad !== false) add('blank_location_uri', `${where} has no url`, DOCS.zasManifest, 'manifest.json');
    return;
  }
  if (url.includes('{{setting.')) return; // resolved per installation; Zendesk skips the check too (zasManifest)
  const ok = /^https:\/\//.test(url) || (url.startsWith('assets/') && !url.includes('..') && has(url.split(/[?#]/)[0]));
  if (!ok) {
    add('invalid_location_uri', `${where}: "${url}" is neither an existing assets/ file nor an https URL`,
      DOCS.zasManifest, 'manifest.json');
  }
}

function checkSize(where, name, size, add) {
  if (size === undefined) return;
  const px = (v) => (typeof v === 'string' && /^\d+px$/.test(v) ? Number.parseInt(v, 10) : NaN);
  const width = px(size?.width);
  const height = px(size?.height);
  if (!isObject(size) || Number.isNaN(width) || Number.isNaN(height)) {
    add('invalid_location_size', `${where}.size needs a "width" and "height" like "320px"`, DOCS.manifest,
      'manifest.json');
    return;
  }
  const b = LIMITS.callConsole;
  const inBounds = width >= b.minWidth && width <= b.maxWidth && height >= b.minHeight && height <= b.maxHeight;
  if (name === 'top_bar' && !inBounds) {
    add('top_bar_size_out_of_bounds', `${where}.size ${width}×${height} px is outside the call console's ` +
      `${b.minWidth}–${b.maxWidth} × ${b.minHeight}–${b.maxHeight} px`, DOCS.talkGuidelines, 'manifest.json');
  }
}

function checkIcon(name, files, has, add) {
  const svgPath = `assets/icon_${name}.svg`;
  if (!has(svgPath)) {
    if (!has(`assets/icon_${name}_inactive.png`)) {
      add('missing_location_icon', `${name} shows an icon: add ${svgPath}`, DOCS.styling, svgPath);
    }
    return;
  }
  const svg = text.decode(files[svgPath]).replace(/<!--[\s\S]*?-->/g, '');
  const root = svg.replace(/^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?/i, '');
  const symbols = svg.match(/<symbol\b[^>]*>/gi) ?? [];
  const viewBoxOk = symbols.length > 0
    ? symbols.every((s) => /\bviewBox\s*=/.test(s)) && symbols.some((s) => /\bid\s*=\s*["']default["']/.test(s))
    : /^<svg\b[^>]*\bviewBox\s*=/i.test(root);
  if (!/^<svg\b/i.test(root) || !viewBoxOk) {
    add('invalid_svg_icon', 'the icon must be an <svg> with a viewBox (or <symbol>s with viewBoxes, one id="default")',
      DOCS.styling, svgPath);
  }
  // Zendesk scrubs unsafe markup and replaces icons that embed a bitmap with a placeholder (zasSvg).
  if (/<script\b|<foreignObject\b|<image\b|\son[a-z]+\s*=|href\s*=\s*["']\s*javascript:/i.test(svg)) {
    add('unsafe_svg', 'no scripts, event handlers, foreignObject, javascript: links or embedded bitmaps',
      DOCS.zasSvg, svgPath);
  }
}

function checkParameters(m, add) {
  if (m.parameters === undefined) return;
  if (!Array.isArray(m.parameters)) {
    add('invalid_field_type', '"parameters" must be an array', DOCS.zasManifest, 'manifest.json');
    return;
  }
  const seen = new Set();
  const at = (p) => `parameters.${p.name}`;
  for (const p of m.parameters.map((x) => (isObject(x) ? x : {}))) {
    if (typeof p.name !== 'string' || p.name === '' || p.name === 'name') {
      add('invalid_parameter_name', 'each parameter needs a name, other than "name"', DOCS.zasManifest,
        'manifest.json');
      continue;
    }
    if (seen.has(p.name)) add('duplicate_parameter', `${p.name} is declared twice`, DOCS.zasManifest, 'manifest.json');
    seen.add(p.name);
    const type = p.type ?? 'text';
    if (!PARAMETER_TYPES.includes(type)) {
      add('invalid_parameter_type', `${at(p)}.type "${type}" is not one of ${PARAMETER_TYPES.join(', ')}`,
        DOCS.zasManifest, 'manifest.json');
    }
    for (const flag of ['required', 'secure']) {
      if (p[flag] !== undefined && typeof p[flag] !== 'boolean') {
        add('invalid_parameter_flag', `${at(p)}.${flag} must be a boolean`, DOCS.zasManifest, 'manifest.json');
      }
    }
    if (type === 'hidden' && p.required === true) {
      add('hidden_parameter_required', `${at(p)} is hidden and cannot be required`, DOCS.zasManifest, 'manifest.json');
    }
    if ((p.secure === true || type === 'hidden') && 'default' in p) {
      add('secure_parameter_default', `${at(p)}: defaults of secure or hidden settings are not stored securely`,
        DOCS.zasSecure, 'manifest.json');
    }
    if (p.secure !== true && SECURABLE_NAME.test(p.name) && (type === 'text' || type === 'password')) {
      add('insecure_token_parameter', `${at(p)} looks like a secret: set "secure": true`, DOCS.zasSecure,
        'manifest.json');
    }
    if (type === 'oauth' && p.secure === true) {
      add('oauth_parameter_secure', `${at(p)}: an oauth parameter cannot be secure`, DOCS.zasManifest, 'manifest.json');
    }
  }
  if (m.parameters.filter((p) => p?.type === 'oauth').length > 1) {
    add('too_many_oauth_parameters', 'at most one parameter may have type "oauth"', DOCS.zasManifest, 'manifest.json');
  }
}

function checkWhitelist(m, add) {
  const params = Array.isArray(m.parameters) ? m.parameters.filter(isObject) : [];
  const list = m.domainWhitelist;
  if (list !== undefined && !(Array.isArray(list) && list.every((d) => typeof d === 'string'))) {
    add('invalid_field_type', '"domainWhitelist" must be an array of strings', DOCS.zasManifest, 'manifest.json');
    return;
  }
  if (params.some((p) => p.secure === true) && !(list?.length > 0)) {
    // Secure settings are only sent, through the proxy, to domains in domainWhitelist (secureSettings).
    add('missing_domain_whitelist', 'secure parameters need a domainWhitelist', DOCS.secureSettings, 'manifest.json');
  }
  for (const entry of list ?? []) {
    const placeholder = entry.match(SETTING_PLACEHOLDER);
    const target = placeholder ? params.find((p) => p.name === placeholder[1]) : undefined;
    // A placeholder must name a declared, non-secure setting; secure values never leave the proxy (secureSettings).
    const ok = placeholder ? target !== undefined && target.secure !== true : HOSTNAME.test(entry);
    if (!ok) {
      add('invalid_whitelist_domain', `"${entry}" is neither a host name nor a {{setting.…}} placeholder of a ` +
        'declared non-secure setting', DOCS.manifest, 'manifest.json');
    }
  }
}

function checkTranslations(manifest, files, paths, add) {
  /** @type {Map<string, Record<string, unknown>>} */
  const locales = new Map();
  for (const path of paths.filter((p) => p.startsWith('translations/'))) {
    const locale = path.match(/^translations\/([^/]+)\.json$/)?.[1];
    if (!locale || !VALID_LOCALE.test(locale)) {
      add('invalid_translation_file', 'translation files are translations/<locale>.json', DOCS.zasTranslations, path);
      continue;
    }
    try {
      const json = JSON.parse(text.decode(files[path]));
      if (isObject(json)) locales.set(locale, json);
      else add('translation_not_json', 'a translation file holds a JSON object', DOCS.zasTranslations, path);
    } catch (error) {
      add('translation_not_json', `not JSON: ${error.message}`, DOCS.zasTranslations, path);
    }
  }
  const defaultLocale = typeof manifest?.defaultLocale === 'string' ? manifest.defaultLocale : undefined;
  if (defaultLocale && VALID_LOCALE.test(defaultLocale) && !files[`translations/${defaultLocale}.json`]) {
    add('missing_default_translation', `translations/${defaultLocale}.json is missing`, DOCS.zasManifest);
  }
  // Listing content (content) and settings labels (setup) every locale must carry, plus the default's own keys.
  const needed = MARKETPLACE_KEYS.map((k) => `app.${k}`);
  for (const p of Array.isArray(manifest?.parameters) ? manifest.parameters.filter(isObject) : []) {
    if (typeof p.name === 'string' && p.type !== 'hidden') {
      needed.push(`app.parameters.${p.name}.label`, `app.parameters.${p.name}.helpText`);
    }
  }
  const reference = locales.get(defaultLocale ?? '');
  const referenceKeys = reference ? leafEntries(reference).map(([key]) => key) : [];
  for (const [locale, json] of locales) {
    const path = `translations/${locale}.json`;
    const leaves = new Map(leafEntries(json));
    for (const key of new Set([...needed, ...referenceKeys])) {
      const value = leaves.get(key);
      if (typeof value !== 'string' || value.trim() === '') {
        add('missing_translation', `"${key}" is missing or empty`, DOCS.zasTranslations, path);
      }
    }
    const name = leaves.get('app.name');
    if (typeof name === 'string' && name.length > LIMITS.maxNameChars) {
      add('translation_too_long', `app.name is over ${LIMITS.maxNameChars} characters`, DOCS.content, path);
    }
    const short = leaves.get('app.short_description');
    if (typeof short === 'string' && short.length > LIMITS.maxShortDescriptionChars) {
      add('translation_too_long', `app.short_description is over ${LIMITS.maxShortDescriptionChars} characters`,
        DOCS.content, path);
    }
  }
}

function checkLogos(files, has, add) {
  for (const [path, size] of Object.entries(LIMITS.logos)) {
    if (!has(path)) {
      add('missing_asset', `${path} (${size}×${size} PNG) is required`, DOCS.brandAssets, path);
      continue;
    }
    const png = readPngHeader(files[path]);
    if (!png) add('invalid_png', 'not a PNG file', DOCS.brandAssets, path);
    else if (png.width !== size || png.height !== size) {
      add('wrong_png_size', `${png.width}×${png.height}, must be ${size}×${size}`, DOCS.brandAssets, path);
    } else if (path.endsWith('logo-small.png') && (png.colorType !== 6 || png.bitDepth !== 8)) {
      // "The PNG uses the PNG-24 format with transparency" (brandAssets): 8-bit RGBA.
      add('logo_not_rgba', 'the small icon must be a 24-bit PNG with an alpha channel', DOCS.brandAssets, path);
    }
  }
}

function checkHtmlReferences(files, paths, has, add) {
  // A location page that loads a script or stylesheet the package lacks ships a blank app (manifest: location url).
  for (const path of paths.filter((p) => /^assets\/.*\.html?$/.test(p))) {
    const html = text.decode(files[path]);
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    for (const [, ref] of html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)) {
      if (/^(?:[a-z]+:|\/\/|#)/i.test(ref)) continue;
      const target = normalise(dir + ref.split(/[?#]/)[0]);
      if (!target || !has(target)) add('broken_asset_reference', `"${ref}" is not in the package`, DOCS.manifest, path);
    }
  }
}

function normalise(path) {
  const out = [];
  for (const part of path.split('/')) {
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

function leafEntries(value, prefix = '') {
  if (!isObject(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => leafEntries(v, prefix ? `${prefix}.${k}` : k));
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
