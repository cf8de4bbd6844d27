/**
 * Entry of `widget/call.js`. Its only side effect: registering the handshake global the loader waits for.
 */
import type { SambungCallApi } from '../handshake.js';
import { mount } from './mount.js';

const api: SambungCallApi = { version: 1, mount };
window.SambungCall = api;
