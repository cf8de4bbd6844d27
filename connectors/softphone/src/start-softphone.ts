/**
 * The softphone's public entry for any host page: the standalone `/agent` page uses it with the
 * {@link StandaloneHost}, and each CRM connector's page uses it with its own {@link HostAdapter}.
 */
import { AgentApiClient } from './api-client.js';
import { SoftphoneStateMachine } from './call-state.js';
import type { HostAdapter } from './host-adapter.js';
import { Ringtone } from './ringtone.js';
import { SoftphoneController } from './softphone-controller.js';
import { softphoneStyles } from './softphone-styles.js';
import { createAgentUa } from './softphone-ua.js';
import { SoftphoneView } from './softphone-view.js';

export interface StartSoftphoneOptions {
  /** Where the console goes. */
  readonly container: HTMLElement;
  readonly host: HostAdapter;
  /** The bridge's base URL with a trailing slash (API paths resolve against it). */
  readonly bridgeUrl: string;
  /** Prefilled tenant (the "Advanced" field). */
  readonly tenant?: string;
}

export interface SoftphoneHandle {
  readonly controller: SoftphoneController;
  readonly view: SoftphoneView;
  dispose(): Promise<void>;
}

export function startSoftphone(options: StartSoftphoneOptions): SoftphoneHandle {
  ensureStyles(options.container.ownerDocument);
  const machine = new SoftphoneStateMachine();
  let controller: SoftphoneController | undefined;
  const view = new SoftphoneView(machine, {
    signIn: (credentials) => void controller?.signIn(credentials),
    signOut: () => controller?.signOut(),
    setPresence: (presence) => void controller?.setPresence(presence),
    answer: () => controller?.answer(),
    reject: (code) => controller?.reject(code),
    hangup: () => controller?.hangup(),
    toggleMute: () => controller?.toggleMute(),
    toggleHold: () => void controller?.toggleHold(),
    toggleRecording: () => void controller?.toggleRecording(),
    ready: () => void controller?.ready(),
  }, { tenant: options.tenant ?? 'demo' });
  controller = new SoftphoneController({
    api: new AgentApiClient(options.bridgeUrl, (input, init) => fetch(input, init)),
    createUa: createAgentUa,
    host: options.host,
    ringtone: new Ringtone(),
    view,
    machine,
    now: () => Date.now(),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  options.container.append(view.element);
  void controller.start();
  const started = controller;
  return { controller: started, view, dispose: () => started.dispose() };
}

function ensureStyles(document: Document): void {
  if (document.querySelector('style[data-softphone-styles]')) return;
  const style = document.createElement('style');
  style.setAttribute('data-softphone-styles', '');
  style.textContent = softphoneStyles;
  document.head.append(style);
}
