/**
 * `window.SambungCall.mount(shadowRoot, options)`: builds one widget's panel in the loader's shadow root and
 * returns the handle the loader drives (see `../handshake.ts`).
 */
import type { CallWidgetHandle, MountOptions } from '../handshake.js';
import { CallController } from './call-controller.js';
import { CallStateMachine, isInCall } from './call-state.js';
import { CallView } from './call-view.js';
import { CallbackScheduler } from './callback-scheduler.js';
import { SchedulerStateMachine } from './callback-scheduler-state.js';
import { startVisitorCall } from './sip-call.js';
import { requestVisitorToken } from './token-client.js';
import { createVisitorApi } from './visitor-api.js';

export function mount(root: ShadowRoot, options: MountOptions): CallWidgetHandle {
  const machine = new CallStateMachine();
  const schedulerMachine = new SchedulerStateMachine();
  const fetchImpl = (input: string, init: RequestInit) => fetch(input, init);
  const controller = new CallController({
    options,
    machine,
    scheduler: new CallbackScheduler(schedulerMachine),
    visitorApi: createVisitorApi(options.bridgeUrl, fetchImpl),
    requestToken: (request) => requestVisitorToken(options.bridgeUrl, request, fetchImpl),
    getMicrophone: () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        // Not a secure context (http:// page other than localhost) or a very old browser.
        return Promise.reject(Object.assign(new Error('getUserMedia unavailable'), { name: 'NotSupportedError' }));
      }
      return navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
        video: false,
      });
    },
    startCall: startVisitorCall,
    now: () => Date.now(),
  });

  const { launcher } = options;
  let destroyed = false;
  const handle: CallWidgetHandle = {
    get isOpen() {
      return view.isOpen;
    },
    open() {
      if (destroyed) return;
      view.setOpen(true);
      launcher.setAttribute('aria-expanded', 'true');
      controller.opened();
    },
    close() {
      if (destroyed || !view.isOpen) return;
      view.setOpen(false);
      launcher.setAttribute('aria-expanded', 'false');
      launcher.focus();
    },
    toggle() {
      if (view.isOpen) handle.close();
      else handle.open();
    },
    destroy() {
      if (destroyed) return;
      controller.dispose();
      view.destroy();
      launcher.removeAttribute('data-call');
      window.removeEventListener('pagehide', onPageHide);
      destroyed = true;
    },
  };

  const view = new CallView(root, options.label, machine, schedulerMachine, {
    start: (input) => controller.start(input),
    hangup: () => controller.hangup(),
    toggleMute: () => controller.toggleMute(),
    digit: (digit) => controller.digit(digit),
    callAgain: () => controller.callAgain(),
    keepPlace: () => controller.keepPlace(),
    keepPlaceWithPhone: (raw) => controller.keepPlaceWithPhone(raw),
    cancelKeepPlace: () => controller.cancelKeepPlace(),
    pickSlot: (at, phone) => controller.pickSlot(at, phone),
    retrySlots: () => controller.retrySlots(),
    close: () => handle.close(),
  });
  controller.attachView(view);

  // The launcher shows an ongoing call while the panel is minimised.
  machine.onChange((status) => {
    if (isInCall(status.state)) launcher.setAttribute('data-call', 'active');
    else launcher.removeAttribute('data-call');
  });

  // Leaving the page ends the call with a BYE rather than leaving the bridge to time it out. (A page with an
  // open WebSocket is not kept in the back/forward cache, so there is no call to resume on `pageshow`.)
  const onPageHide = (): void => controller.dispose();
  window.addEventListener('pagehide', onPageHide);

  return handle;
}
