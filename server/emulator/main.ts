/**
 * The emulator on its own HTTP server, configured by environment variables (env.ts), e.g. for a
 * proxy rehearsing real mode against it: `node --import tsx server/emulator/main.ts`. Prints one line,
 * `emulator listening on http://HOST:PORT`, to stdout and stops on SIGTERM or SIGINT. Set
 * EMULATOR_LOG=1 for its structured log events as JSON lines on stderr (they never carry secrets).
 */
import { emulatorOptionsFromEnv } from './env.ts';
import { startEmulator } from './index.ts';

const refuse = (error: unknown): never => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
};

const options = (() => {
  try {
    return emulatorOptionsFromEnv(process.env);
  } catch (error) {
    return refuse(error);
  }
})();
if (process.env['EMULATOR_LOG'] === '1')
  options.log = (event) => process.stderr.write(`${JSON.stringify(event)}\n`);

// Option checks (e.g. EMULATOR_EVENTS_URL not http(s)) and a taken port end up here too.
const running = await startEmulator(options).catch(refuse);
process.stdout.write(`emulator listening on ${running.url}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void running.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
