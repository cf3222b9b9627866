/**
 * `signicat-verify-proxy doctor [--json]` (and `npm run doctor`): reads the configuration from the
 * environment and checks first contact with Signicat (server/doctor). Exit code 1 when a check failed
 * or the configuration is invalid. Never prints a secret, token or authorization value.
 */
import { ConfigError, loadConfig, type Config } from '../config.ts';
import {
  createScrubber,
  doctorJson,
  formatDoctor,
  runDoctor,
  secretsOf,
  type DoctorReport,
} from '../doctor/index.ts';

const SECRET_VARIABLES = [
  'SIGNICAT_CLIENT_SECRET',
  'SESSION_SECRET',
  'SIGNICAT_EVENTS_SECRET',
  'RESULT_WEBHOOK_SECRET',
  'PROXY_API_KEY',
];

export async function doctorCommand(
  env: Record<string, string | undefined>,
  options: { json: boolean; write: (text: string) => void },
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Config messages name variables, not values; scrub the raw environment's secrets all the same.
    const scrub = createScrubber(
      SECRET_VARIABLES.map((name) => env[name]).filter(
        (value): value is string => typeof value === 'string' && value.length >= 6,
      ),
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
    options.write(options.json ? doctorJson(report, scrub) : formatDoctor(report, scrub));
    return 1;
  }
  const report = await runDoctor(config);
  const scrub = createScrubber(secretsOf(config));
  options.write(options.json ? doctorJson(report, scrub) : formatDoctor(report, scrub));
  return report.ok ? 0 : 1;
}
