#!/usr/bin/env node
// CommonJS (bin/package.json): a report then never starts Node's ES module loader.
require('../dist/footprint.cjs').main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
