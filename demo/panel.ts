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

export async function setUpSandboxControls(): Promise<boolean> {
  const form = document.querySelector<HTMLFormElement>('#sandbox-controls');
  const realNote = document.querySelector<HTMLElement>('#real-mode-note');
  if (!form) return false;
  const current = await fetch('/emulator/control/outcome').catch(() => undefined);
  if (!current?.ok) {
    if (realNote) realNote.hidden = false;
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
      body: JSON.stringify({ status: status.value, delayMs: Math.max(0, Number(delay.value) || 0) }),
    });
    saved.value = response.ok ? `New verifications end ${status.value}.` : 'Could not save the setting.';
  };
  form.addEventListener('change', () => void save());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  return true;
}

export function logElementEvents(element: HTMLElement): void {
  const log = document.querySelector<HTMLOListElement>('#event-log');
  if (!log) return;
  for (const type of ELEMENT_EVENTS) {
    element.addEventListener(type, (event) => {
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
