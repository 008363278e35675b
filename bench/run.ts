/**
 * `npm run bench`: prints every benchmark's figures; `npm run bench -- relay` (or `retrieval`) runs one.
 * Nothing here is asserted; tests guard behaviour.
 */
import { formatRetrieval, measureRetrieval } from './knowledge-retrieval.js';
import { runRelayBenchmark } from './relay/relay-bench.js';

const suites: Record<string, () => Promise<void>> = {
  async retrieval() {
    // The development set guided the tokenizer, weights, thresholds and sample synonyms; the held-out set
    // was written afterwards, blind to them, and is the honest figure.
    for (const [title, file] of [
      ['development set', 'bench/knowledge-eval.json'],
      ['held-out set', 'bench/knowledge-eval-holdout.json'],
    ] as const) {
      console.log(formatRetrieval({ title, ...(await measureRetrieval(file)) }));
      console.log();
    }
  },
  async relay() {
    console.log(await runRelayBenchmark());
    console.log();
  },
};

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from: ${Object.keys(suites).join(', ')}.`);
  process.exit(2);
}
for (const name of chosen.length > 0 ? chosen : Object.keys(suites)) await suites[name]!();
