/**
 * Server rendering: every entry of the package, imported by name (Node's self-reference, so the
 * `exports` map of package.json decides the file) in plain Node, with no DOM, must load without
 * throwing, both with Node's default conditions and with `--conditions=browser` (as some server
 * bundlers and edge runtimes resolve). Each import runs in a fresh process. Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const ENTRIES: Record<string, string[]> = {
  'signicat-verify': ['SignicatVerifyElement', 'SignicatVerifyCompleteEvent', 'VERSION'],
  'signicat-verify/define': ['SignicatVerifyElement'],
  'signicat-verify/bundle': ['SignicatVerifyElement', 'SignicatVerifyCompleteEvent', 'VERSION'],
  'signicat-verify/react': ['SignicatVerifyElement'],
  'signicat-verify/vue': ['SignicatVerifyElement'],
};

/** Imports `specifier` in a new Node process; reports the export names and what it resolved to. */
function importInNode(specifier: string, conditions: string[]) {
  const script = `
    const resolved = import.meta.resolve(${JSON.stringify(specifier)});
    const m = await import(${JSON.stringify(specifier)});
    const el = m.SignicatVerifyElement;
    // The class is usable on the server: static members and a registration that does nothing.
    const version = el.version;
    el.define?.('signicat-verify-ssr-probe', { get: () => undefined, define() {} });
    console.log(JSON.stringify({ resolved, names: Object.keys(m), version }));`;
  const run = spawnSync(
    process.execPath,
    [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', script],
    { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
  );
  return run;
}

before(() => {
  for (const dir of ['dist/npm', 'dist/cdn', 'dist/ssr'])
    assert.ok(existsSync(join(ROOT, dir)), `${dir} exists: run \`npm run build\` first`);
});

for (const conditions of [[], ['browser']]) {
  describe(`in Node without a DOM${conditions.length ? `, --conditions=${conditions.join(',')}` : ''}`, () => {
    for (const [specifier, expected] of Object.entries(ENTRIES)) {
      it(`imports ${specifier} without throwing`, () => {
        const run = importInNode(specifier, conditions);
        assert.equal(run.status, 0, run.stderr);
        const { resolved, names, version } = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
          resolved: string;
          names: string[];
          version: string;
        };
        for (const name of expected)
          assert.ok(names.includes(name), `${specifier} exports ${name}`);
        assert.match(version, /^\d+\.\d+\.\d+/);
        // The script-tag build inlines Lit's browser build: it is never what Node gets.
        assert.doesNotMatch(resolved, /dist\/cdn\//, `${specifier} resolves to ${resolved}`);
        assert.equal(run.stderr.includes('Error'), false, run.stderr);
      });
    }
  });
}

describe('the script-tag build itself', () => {
  it('is for browsers only: in Node it needs a DOM (why ./bundle has a node condition)', () => {
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `await import('./dist/cdn/signicat-verify.js')`],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /is not defined/);
  });
});
