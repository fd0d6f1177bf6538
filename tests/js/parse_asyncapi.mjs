// Parse AsyncAPI documents with the official parser; print every diagnostic as JSON.
// usage: node parse_asyncapi.mjs FILE [FILE ...]
import { readFile } from 'node:fs/promises';
import { Parser } from '@asyncapi/parser';

const SEVERITY = ['error', 'warning', 'info', 'hint'];
const parser = new Parser();
const result = {};
for (const file of process.argv.slice(2)) {
  const text = await readFile(file, 'utf8');
  const { document, diagnostics } = await parser.parse(text);
  result[file] = {
    parsed: document !== undefined,
    diagnostics: diagnostics.map((d) => ({
      severity: SEVERITY[d.severity],
      code: d.code,
      message: d.message,
      path: d.path.join('/'),
    })),
  };
}
console.log(JSON.stringify(result));
