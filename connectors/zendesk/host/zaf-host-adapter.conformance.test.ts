import { describeHostAdapterConformance } from '../../softphone/src/host-adapter.conformance.js';
import { startBackgroundRelay } from './background-relay.js';
import { MemoryScreenPop } from './memory-screen-pop.js';
import { FakeZendesk } from './test-support/fake-zendesk.js';
import { MemoryChooser } from './test-support/memory-chooser.js';
import { ZafHostAdapter } from './zaf-host-adapter.js';

/**
 * The adapter in the top bar of an in-memory Zendesk, with the real background relay in its background
 * location: a click-to-dial goes `voice.dialout` → background → `sambung.dialout` on the top bar, as in Zendesk.
 * Screen pops go to an in-memory bridge applying the same rules as the server.
 */
describeHostAdapterConformance('ZafHostAdapter', () => {
  const zendesk = new FakeZendesk();
  const topBar = zendesk.addInstance('top_bar');
  const background = zendesk.addInstance('background');
  const relay = startBackgroundRelay(background.client);
  const bridge = new MemoryScreenPop();
  const adapter = new ZafHostAdapter({
    client: topBar.client,
    screenPop: bridge.screenPop,
    choose: bridge.choose,
    chooser: new MemoryChooser(),
  });
  return {
    adapter,
    seedRecord: async (record) => bridge.seed(record),
    clickToDial: (target) => zendesk.emit('voice.dialout', { number: target.phone }),
    callLogs: async () => adapter.callLog(),
    isVisible: async () => zendesk.isVisible(topBar.guid),
    dispose: async () => relay.close(),
  };
});
