/** `npm run bench`: prints every benchmark's figures. Nothing here is asserted; tests guard behaviour. */
import { formatRetrieval, measureRetrieval } from './knowledge-retrieval.js';

// The development set guided the tokenizer, weights, thresholds and sample synonyms; the held-out set
// was written afterwards, blind to them, and is the honest figure.
for (const [title, file] of [
  ['development set', 'bench/knowledge-eval.json'],
  ['held-out set', 'bench/knowledge-eval-holdout.json'],
] as const) {
  console.log(formatRetrieval({ title, ...(await measureRetrieval(file)) }));
  console.log();
}
