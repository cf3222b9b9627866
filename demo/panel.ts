/**
 * The demo's developer panel: in sandbox mode an outcome picker that drives the emulator's control
 * route, and in every mode a log of the events the element fires.
 */
const ELEMENT_EVENTS = [
  'signicat-verify-status',
  'signicat-verify-complete',
  'signicat-verify-error',
  'signicat-verify-provider-sdk',
] as const;

const PANEL = `
  <h2 id="devtools-title">Developer panel</h2>
  <form id="sandbox-controls" class="sandbox-controls" hidden>
    <p class="note">Sandbox mode: the Assure API emulator answers. Choose what it reports.</p>
    <label>
      Outcome
      <select name="status">
        <option value="accepted">accepted</option>
        <option value="rejected">rejected</option>
        <option value="inconclusive">inconclusive</option>
        <option value="failed">failed</option>
        <option value="canceled">canceled</option>
      </select>
    </label>
    <label>
      Processing time (ms)
      <input name="delayMs" type="number" min="0" max="60000" step="250" value="1500" />
    </label>
    <output name="saved" class="note"></output>
  </form>
  <p id="real-mode-note" class="note" hidden></p>
  <h3>Element events</h3>
  <ol id="event-log" class="event-log" aria-live="polite"></ol>`;

/** Fills `<aside id="devtools">`; in sandbox mode its outcome picker drives the emulator. */
export async function setUpDeveloperPanel(): Promise<boolean> {
  const aside = document.querySelector<HTMLElement>('#devtools');
  if (!aside) return false;
  if (!aside.querySelector('#sandbox-controls')) aside.innerHTML = PANEL;
  const form = aside.querySelector<HTMLFormElement>('#sandbox-controls')!;
  const realNote = aside.querySelector<HTMLElement>('#real-mode-note')!;
  realNote.textContent = aside.dataset.realModeNote ?? '';
  const current = await fetch('/emulator/control/outcome').catch(() => undefined);
  if (!current?.ok) {
    realNote.hidden = false;
    return false;
  }
  const setting = (await current.json()) as { status: string; delayMs: number };
  const status = form.elements.namedItem('status') as HTMLSelectElement;
  const delay = form.elements.namedItem('delayMs') as HTMLInputElement;
  const saved = form.elements.namedItem('saved') as HTMLOutputElement;
  status.value = setting.status;
  delay.value = String(setting.delayMs);
  form.hidden = false;

  const save = async () => {
    const response = await fetch('/emulator/control/outcome', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        status: status.value,
        delayMs: Math.max(0, Number(delay.value) || 0),
      }),
    });
    saved.value = response.ok
      ? `New verifications end ${status.value}.`
      : 'Could not save the setting.';
  };
  form.addEventListener('change', () => void save());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  return true;
}

export function logElementEvents(element: HTMLElement): void {
  for (const type of ELEMENT_EVENTS) {
    element.addEventListener(type, (event) => {
      // Looked up per event: the panel may be filled after the element was mounted.
      const log = document.querySelector<HTMLOListElement>('#event-log');
      if (!log) return;
      const item = document.createElement('li');
      const time = document.createElement('time');
      time.textContent = new Date().toLocaleTimeString();
      const name = document.createElement('code');
      name.textContent = type.replace('signicat-verify-', '');
      const detail = document.createElement('pre');
      detail.textContent = JSON.stringify(redactToken((event as CustomEvent).detail), null, 1);
      item.append(time, ' ', name, detail);
      log.prepend(item);
    });
  }
}

/** Session and provider tokens are credentials of a kind: the log shows only their start. */
function redactToken(detail: unknown): unknown {
  if (!detail || typeof detail !== 'object') return detail;
  const copy: Record<string, unknown> = { ...(detail as Record<string, unknown>) };
  for (const key of ['session', 'token']) {
    if (typeof copy[key] === 'string') copy[key] = `${(copy[key] as string).slice(0, 8)}…`;
  }
  return copy;
}
