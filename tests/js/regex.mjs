// Compile patterns as JSON Schema validators do (new RegExp(pattern, "u")) and test strings.
// usage: node regex.mjs CASES.json   (a list of [pattern, [string, ...]])
// Prints JSON: per case, a list of booleans (RegExp.prototype.test), or the compile error.
import { readFileSync } from 'node:fs';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = cases.map(([pattern, strings]) => {
  let re;
  try {
    re = new RegExp(pattern, 'u');
  } catch (err) {
    return { error: String(err) };
  }
  return strings.map((s) => re.test(s));
});
console.log(JSON.stringify(out));
