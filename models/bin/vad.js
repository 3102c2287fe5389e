#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so the package needs no build step.
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`vad: unexpected error: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
