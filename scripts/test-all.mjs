#!/usr/bin/env node
// The one test command (npm test): typecheck, lint, format, then unit tests in Node,
// browser tests in Chromium and end-to-end tests against the production build.
// Every step runs even if an earlier one fails; the last line sums them all up.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

process.env.TZ = 'UTC';
const out = join(process.cwd(), 'node_modules/.cache/retain-test');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env: process.env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

/** @type {[string, string, string[]][]} */
const checks = [
  ['typecheck', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']],
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
];
const suites = ['unit', 'browser', 'e2e'];
/** @type {{ name: string, passed: number, failed: number }[]} */
const results = [];

for (const [name, command, args] of checks) {
  console.log(`\n── ${name} ──`);
  const code = await run(command, args);
  results.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 });
}

for (const project of suites) {
  console.log(`\n── ${project} tests ──`);
  const file = join(out, `${project}.json`);
  const code = await run('npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  let passed = 0;
  let failed = 0;
  try {
    const report = JSON.parse(await readFile(file, 'utf8'));
    passed = report.numPassedTests;
    failed = report.numFailedTests;
    // A suite that ran no test proves nothing: count it as a failure.
    if (report.numTotalTests === 0) failed += 1;
  } catch {
    failed = 1;
  }
  // A failure outside any test (a file that does not load, a setup error) still fails.
  if (code !== 0 && failed === 0) failed = 1;
  results.push({ name: `${project} tests`, passed, failed });
}

console.log('\n── summary ──');
for (const r of results)
  console.log(`${r.failed ? '✗' : '✓'} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
