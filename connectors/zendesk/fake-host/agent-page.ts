/**
 * The fake Zendesk agent page's DOM: the top bar with the app's icon and popover, a workspace with a ticket or
 * user sidebar, hidden background iframes and a notification tray. Each app location is an iframe on the app's
 * own origin at `<location page>?origin=<this page's origin>&app_guid=<instance guid>` — the query the ZAF SDK
 * reads to find its parent — and {@link ZafParent} answers what they post.
 *
 * Notifications are shown the way Zendesk shows them (the message is HTML), but parsed in an inert
 * `DOMParser` document and displayed as text, so tests see what the agent would read without this page ever
 * running an app's markup.
 */
import type {
  AppLocation,
  FakeHostConfig,
  FakeZendeskApi,
  ProxyRequestBody,
  ProxyResponseBody,
} from './fake-host-config.js';
import { ZafParent, type InstanceState } from './zaf-parent.js';

const FRAME_PERMISSIONS = 'microphone; autoplay; clipboard-write';
const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-modals';

export function startAgentPage(config: FakeHostConfig, doc: Document = document): FakeZendeskApi {
  const win = doc.defaultView!;
  const frames = new Map<string, HTMLIFrameElement>();
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ''): HTMLElementTagNameMap[K] => {
    const element = doc.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
    if (text) element.textContent = text;
    return element;
  };

  const icon = make('button', { type: 'button', 'data-fake-zendesk': 'top-bar-icon', 'aria-label': config.metadata.name },
    config.metadata.name);
  const popover = make('div', { 'data-fake-zendesk': 'popover', class: 'fz-popover' });
  popover.hidden = true;
  const sidebar = make('aside', { 'data-fake-zendesk': 'sidebar', class: 'fz-sidebar' });
  const background = make('div', { 'data-fake-zendesk': 'background', hidden: '' });
  const tray = make('ol', { 'data-fake-zendesk': 'notifications', class: 'fz-notifications', 'aria-live': 'polite' });
  const header = make('header', { class: 'fz-top-bar', 'data-fake-zendesk': 'top-bar' });
  header.append(make('span', { class: 'fz-brand' }, `Fake Zendesk · ${config.account.subdomain}`), icon);
  const workspace = make('main', { class: 'fz-workspace', 'data-fake-zendesk': 'workspace' });
  workspace.append(sidebar);
  doc.body.replaceChildren(header, workspace, popover, background, tray);

  const containerOf = (location: AppLocation): HTMLElement =>
    location === 'top_bar' ? popover : location === 'background' ? background : sidebar;

  const parent: ZafParent = new ZafParent(config, {
    newGuid: () => win.crypto.randomUUID(),
    mount(instance, visible) {
      const url = new URL(config.locations[instance.location], `${config.appOrigin}/`);
      url.searchParams.set('origin', win.location.origin);
      url.searchParams.set('app_guid', instance.guid);
      const frame = make('iframe', {
        src: url.href, title: `${config.metadata.name} (${instance.location})`, allow: FRAME_PERMISSIONS, sandbox: FRAME_SANDBOX,
        'data-location': instance.location, 'data-instance-guid': instance.guid,
      });
      frames.set(instance.guid, frame);
      containerOf(instance.location).append(frame);
      if (instance.location === 'top_bar') popover.hidden = !visible;
    },
    unmount(instance) {
      frames.get(instance.guid)?.remove();
      frames.delete(instance.guid);
    },
    showPane(instance, visible) {
      if (instance.location === 'top_bar') popover.hidden = !visible;
    },
    resize(instance, size) {
      const frame = frames.get(instance.guid);
      if (!frame) return;
      frame.style.width = size.width;
      frame.style.height = size.height;
    },
    post(instance, message) {
      frames.get(instance.guid)?.contentWindow?.postMessage(message, config.appOrigin);
    },
    renderNotification(message) {
      const body = new DOMParser().parseFromString(message, 'text/html').body;
      return { text: body.textContent ?? '', elements: body.querySelectorAll('*').length };
    },
    async proxy(options) {
      const request: ProxyRequestBody = { installationId: config.metadata.installationId, options };
      const response = await win.fetch(config.proxyPath, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request),
      });
      return (await response.json()) as ProxyResponseBody;
    },
  });

  const showNotification = (): void => {
    const latest = parent.notifications.at(-1);
    if (!latest) return;
    tray.append(make('li', { 'data-kind': latest.kind }, latest.text));
  };

  win.addEventListener('message', (event) => {
    if (event.origin !== config.appOrigin) return;
    for (const [guid, frame] of frames) {
      if (frame.contentWindow === event.source) {
        const before = parent.notifications.length;
        parent.receive(guid, event.data);
        if (parent.notifications.length > before) showNotification();
        return;
      }
    }
  });

  // Zendesk loads the background location with the agent interface; the top bar exists as an instance (it is
  // listed by `get('instances')`) but gets an iframe only when opened or preloaded.
  parent.mount(parent.addInstance('background'), false);
  const topBar = parent.addInstance('top_bar');
  let current: InstanceState | undefined;
  const openSidebar = (location: AppLocation, data: Record<string, unknown>): string => {
    if (current) parent.removeInstance(current.guid);
    current = parent.addInstance(location, data);
    parent.mount(current, true);
    return current.guid;
  };
  icon.addEventListener('click', () => parent.setPane(topBar, !(topBar.mounted && topBar.visible)));

  return {
    dialout: (number) => parent.emit('voice.dialout', { number }),
    openTopBar: () => parent.setPane(topBar, true),
    closeTopBar: () => parent.setPane(topBar, false),
    openTicket: (ticket) => openSidebar('ticket_sidebar', { ticket }),
    openUser: (user) => openSidebar('user_sidebar', { user }),
    closeSidebar() {
      if (current) parent.removeInstance(current.guid);
      current = undefined;
    },
    get notifications() {
      return [...parent.notifications];
    },
    get displayed() {
      return [...parent.displayed];
    },
    get popoverState() {
      return { mounted: topBar.mounted, registered: topBar.registered, visible: topBar.mounted && topBar.visible };
    },
    get instances() {
      return [...parent.instances.values()].map((instance) => parent.info(instance));
    },
    get log() {
      return [...parent.log];
    },
  };
}
