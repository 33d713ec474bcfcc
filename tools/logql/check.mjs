// Parse LogQL expressions with @grafana/lezer-logql, the grammar of Grafana's Loki query editor.
// stdin: a JSON array of expressions (Grafana variables already substituted).
// stdout: a JSON array, one entry per expression: null when it parses, else {at, near}.
// An error is the first error node (lezer's isError) of the parse tree.
import { parser } from '@grafana/lezer-logql';

function firstError(expr) {
  let found = null;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (found === null && node.type.isError) {
        found = { at: node.from, near: expr.slice(Math.max(0, node.from - 10), node.to + 10) };
      }
      return found === null;
    },
  });
  return found;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const exprs = JSON.parse(input);
  process.stdout.write(JSON.stringify(exprs.map(firstError)));
});
