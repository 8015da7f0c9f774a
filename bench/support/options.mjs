// A bench's command-line options: parsed with node:util, each checked; a bad one ends the bench
// with exit code 2 and a message naming the option and the value.
import { parseArgs } from 'node:util';

/**
 * Parses `options` (node:util parseArgs shapes) for `bench/<script>`. Returns the values, `int`
 * (an option as an integer in [min, max], or undefined when absent without a default) and
 * `usage` (prints a message, exits 2).
 */
export function benchOptions(script, options) {
  const usage = (message) => {
    process.stderr.write(`bench/${script}: ${message}\n`);
    process.exit(2);
  };
  let values;
  try {
    values = parseArgs({ options }).values;
  } catch (err) {
    usage(err.message);
  }
  const int = (name, min, max) => {
    if (values[name] === undefined) return undefined;
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min || v > max) usage(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(values[name])}`);
    return v;
  };
  return { values, int, usage };
}
