/** `npm run bench`: prints every benchmark's figures. Nothing here is asserted; tests guard behaviour. */
import { formatRetrieval, measureRetrieval } from './knowledge-retrieval.js';

console.log(formatRetrieval(await measureRetrieval()));
