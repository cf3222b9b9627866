/**
 * The status follower on its own (component/status-controller.ts), without the element: it stops by
 * itself at a final status, whether that came over the event stream or from a poll.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ProxyClient } from '../../component/api.js';
import type { Status } from '../../component/contract/index.js';
import { StatusController } from '../../component/status-controller.js';
import { FakeEventSource, FakeProxy } from './fake-proxy.js';

const host: ReactiveControllerHost = {
  addController: (_: ReactiveController) => undefined,
  removeController: () => undefined,
  requestUpdate: () => undefined,
  updateComplete: Promise.resolve(true),
};
const timing = () => ({ pollMinMs: 10, pollMaxMs: 40, slowPollMs: 5000 });

describe('StatusController', () => {
  let proxy: FakeProxy;
  beforeEach(() => (proxy = new FakeProxy()));
  afterEach(() => proxy.restore());

  function follow(token: string): Array<[Status, boolean]> {
    const seen: Array<[Status, boolean]> = [];
    const controller = new StatusController(
      host,
      { onStatus: (s, f) => seen.push([s, f]), onError: () => undefined },
      timing,
    );
    controller.watch(new ProxyClient('/api'), token);
    return seen;
  }

  it('should close the event stream at a final status and report nothing after it', async () => {
    proxy.addSession('s', { status: 'processing' });
    const seen = follow('s');
    await waitUntil(
      () =>
        FakeEventSource.instances.length === 1 && FakeEventSource.instances[0]!.readyState === 1,
    );
    const stream = FakeEventSource.instances[0]!;
    stream.send('processing');
    stream.send('accepted');
    expect(stream.closed, 'stream closed').to.equal(true);
    stream.dispatchEvent(
      new MessageEvent('status', { data: JSON.stringify({ status: 'rejected', final: true }) }),
    );
    expect(seen).to.deep.equal([
      ['processing', false],
      ['accepted', true],
    ]);
  });

  it('should stop polling at a final status', async () => {
    FakeEventSource.failOnOpen = true;
    proxy.addSession('p', { status: 'processing' });
    const seen = follow('p');
    await waitUntil(() => proxy.calls('GET', '/sessions/p').length >= 2, 'polls');
    proxy.setStatus('p', 'failed');
    await waitUntil(() => seen.some(([status]) => status === 'failed'), 'final status seen');
    const polls = proxy.calls('GET', '/sessions/p').length;
    await new Promise((r) => setTimeout(r, timing().pollMaxMs * 5)); // several of the longest intervals
    expect(proxy.calls('GET', '/sessions/p').length).to.equal(polls);
  });
});
