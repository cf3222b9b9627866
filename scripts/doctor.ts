/**
 * `npm run doctor [-- --json]`: the same command as `signicat-verify-proxy doctor` (server/cli/doctor.ts).
 * Exit code 1 when a check failed or the configuration is invalid. Never prints a secret.
 */
import { doctorCommand } from '../server/cli/doctor.ts';

process.exitCode = await doctorCommand(process.env, {
  json: process.argv.slice(2).includes('--json'),
  write: (text) => console.log(text),
});
