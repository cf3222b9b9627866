/**
 * `npm run doctor [-- --json]`: reads the server's own configuration from the environment and checks
 * first contact with Signicat (server/doctor). Exit code 1 when a check failed or the configuration
 * is invalid, 0 otherwise. Never prints a secret, token or authorization value.
 */
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import {
  createScrubber,
  doctorJson,
  formatDoctor,
  runDoctor,
  secretsOf,
  type DoctorReport,
} from '../server/doctor/index.ts';

const asJson = process.argv.slice(2).includes('--json');

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // Config messages name variables, not values; scrub the raw environment's secrets all the same.
  const scrub = createScrubber(
    [
      'SIGNICAT_CLIENT_SECRET',
      'SESSION_SECRET',
      'SIGNICAT_EVENTS_SECRET',
      'RESULT_WEBHOOK_SECRET',
      'PROXY_API_KEY',
    ]
      .map((name) => process.env[name])
      .filter((value): value is string => typeof value === 'string' && value.length >= 6),
  );
  const report: DoctorReport = {
    mode: 'real',
    ok: false,
    tokenAuthAccepted: [],
    checks: [
      {
        id: 'config',
        title: 'Configuration',
        status: 'fail',
        detail: error.message,
        fix: 'Fix the settings named above (README, "Configuration"), then run the doctor again.',
      },
    ],
  };
  console.log(asJson ? doctorJson(report, scrub) : formatDoctor(report, scrub));
  process.exit(1);
}

const report = await runDoctor(config);
const scrub = createScrubber(secretsOf(config));
console.log(asJson ? doctorJson(report, scrub) : formatDoctor(report, scrub));
process.exitCode = report.ok ? 0 : 1;
