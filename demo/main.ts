/** The "open an account" demo: the element in capture or redirect mode, with the developer panel. */
import '../component/define.ts';
import { logElementEvents, setUpDeveloperPanel } from './panel.ts';

type DemoMode = 'capture' | 'redirect';

const slot = document.querySelector<HTMLElement>('#verify-slot')!;
const ready = document.querySelector<HTMLElement>('#account-ready')!;
const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="mode"]')];

function mount(mode: DemoMode) {
  const element = document.createElement('signicat-verify');
  element.setAttribute('endpoint', '/api');
  element.setAttribute('mode', mode);
  logElementEvents(element);
  element.addEventListener('signicat-verify-complete', (event) => {
    ready.hidden = event.detail.status !== 'accepted';
  });
  slot.replaceChildren(element);
  ready.hidden = true;
  // Keep the choice in the address bar: redirect mode comes back to this very URL.
  const url = new URL(location.href);
  url.searchParams.set('mode', mode);
  history.replaceState(history.state, '', url);
}

const initial: DemoMode =
  new URLSearchParams(location.search).get('mode') === 'redirect' ? 'redirect' : 'capture';
for (const radio of radios) {
  radio.checked = radio.value === initial;
  radio.addEventListener('change', () => radio.checked && mount(radio.value as DemoMode));
}
mount(initial);
void setUpDeveloperPanel();
