/**
 * Path D1 demo: the element creates a provider-sdk session and hands over the provider token; this
 * page, playing the integrator, runs the provider's SDK (in the sandbox, the emulator's stand-in)
 * and tells the element how it went.
 */
import '../component/define.ts';
import { logElementEvents, setUpDeveloperPanel } from './panel.ts';

interface ProviderSdk {
  capture(options: { token: string; provider: string }): Promise<unknown>;
}

const element = document.querySelector('signicat-verify')!;
const providerWindow = document.querySelector<HTMLElement>('#provider-window')!;
const captureButton = document.querySelector<HTMLButtonElement>('#provider-capture')!;
const failButton = document.querySelector<HTMLButtonElement>('#provider-fail')!;
const status = document.querySelector<HTMLElement>('#provider-status')!;
logElementEvents(element);

let handoff: { provider: string; token: string } | undefined;

element.addEventListener('signicat-verify-provider-sdk', (event) => {
  handoff = { provider: event.detail.provider, token: event.detail.token };
  providerWindow.hidden = false;
  status.textContent = '';
  captureButton.focus();
});

captureButton.addEventListener('click', async () => {
  if (!handoff) return;
  captureButton.disabled = true;
  status.textContent = 'Capturing and uploading…';
  try {
    // Loaded at run time like a provider's CDN script; in real mode this would be e.g. Onfido's SDK.
    const sdkUrl = new URL('/emulator/provider-sdk/sdk.js', location.href).href;
    const sdk = (await import(/* @vite-ignore */ sdkUrl)) as ProviderSdk;
    await sdk.capture({ token: handoff.token, provider: handoff.provider });
    status.textContent = 'Uploaded. Verification starts.';
    providerWindow.hidden = true;
    element.providerCaptureComplete();
  } catch (error) {
    status.textContent = 'The provider SDK failed.';
    element.providerCaptureFailed(error instanceof Error ? error.message : 'provider SDK failed');
  } finally {
    captureButton.disabled = false;
  }
});

failButton.addEventListener('click', () => {
  providerWindow.hidden = true;
  element.providerCaptureFailed('The user closed the provider window.');
});

void setUpDeveloperPanel();
