/**
 * `npm run check:assure-spec -- <openapi.json>`: drives the emulator and the proxy's flows, validates
 * every Assure exchange against the given OpenAPI file and prints a table. Exit codes: 0 all conform,
 * 1 a mismatch or a broken flow, 2 no usable spec file (missing, unreadable, not OpenAPI).
 * The spec file stays outside the repository (see docs/doctor.md, "Conformance check").
 */
import { SpecFileError } from './spec/document.ts';
import { runConformance } from './spec/conformance.ts';
import { formatConformance } from './spec/report.ts';

const USAGE = 'usage: npm run check:assure-spec -- <path to the Assure OpenAPI JSON file> [--json]';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const file = args.find((arg) => !arg.startsWith('--'));
if (!file) {
  console.error(USAGE);
  process.exit(2);
}

try {
  const result = await runConformance(file);
  if (asJson) {
    // Verdicts only: recorded bodies may hold the emulator's sample identity data.
    console.log(
      JSON.stringify(
        {
          ok: result.ok,
          spec: { source: result.spec.source, version: result.spec.version },
          verdicts: result.verdicts,
          problems: result.problems,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(formatConformance(result));
  }
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  if (error instanceof SpecFileError) {
    console.error(
      `check-assure-spec: ${error.message}${error.missing ? '\nThe Assure OpenAPI file was not found; pass its path (it is kept outside the repository).' : ''}\n${USAGE}`,
    );
    process.exitCode = 2;
  } else {
    throw error;
  }
}
