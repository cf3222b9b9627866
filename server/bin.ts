#!/usr/bin/env node
/**
 * `npx signicat-verify-proxy`: the whole server from environment variables and flags, `doctor`,
 * `--help` (every setting, generated from the config schema) and `--version`. Starting goes through
 * the same process entry as `npm start` (server/index.ts), after the configuration was checked here.
 */
import { ConfigError, loadConfig } from './config.ts';
import { parseCommandLine, UsageError } from './cli/args.ts';
import { doctorCommand } from './cli/doctor.ts';
import { BIN, helpText } from './cli/help.ts';
import { VERSION } from './static.ts';

let commandLine;
try {
  commandLine = parseCommandLine(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${BIN}: ${error.message}\nRun ${BIN} --help for every setting.`);
  process.exit(2);
}

if (commandLine.command === 'help') {
  process.stdout.write(helpText(VERSION));
} else if (commandLine.command === 'version') {
  console.log(VERSION);
} else {
  if (commandLine.envFile) {
    try {
      process.loadEnvFile(commandLine.envFile);
    } catch (error) {
      console.error(
        `${BIN}: --env-file ${commandLine.envFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
      process.exit(2);
    }
  }
  Object.assign(process.env, commandLine.env);
  if (commandLine.command === 'doctor') {
    process.exitCode = await doctorCommand(process.env, {
      json: commandLine.json,
      write: (text) => console.log(text),
    });
  } else {
    try {
      loadConfig(process.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(`${BIN}: ${error.message}\nRun ${BIN} --help for every setting.`);
      process.exit(1);
    }
    await import('./index.ts');
  }
}
