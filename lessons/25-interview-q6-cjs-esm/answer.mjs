// Q6 proof, from the ESM side. Imports are linked before the body runs;
// CJS arrives as a default export; createRequire gives ESM a synchronous require.
import { createRequire } from 'module';
import * as esmCounter from './support/counter.mjs';
import cjsCounter from './support/counter.cjs';

console.log('body starts (all static imports already evaluated)');
esmCounter.increment();
console.log(`ESM live binding after increment: ${esmCounter.count}`);
const { count: copied } = cjsCounter;
cjsCounter.increment();
console.log(`CJS destructured copy after increment: ${copied} (the object property is ${cjsCounter.count})`);

const require = createRequire(import.meta.url);
console.log('require() from ESM:', require('./support/sync-loaded.cjs'));
console.log('typeof __filename:', typeof __filename, '| import.meta.url is a file URL:', import.meta.url.startsWith('file://'));
try {
  require('./support/counter.mjs');
} catch (e) {
  console.log('require() of an ES module in Node 18:', e.code);
}
const lazy = await import('./support/counter.mjs');   // dynamic import + top-level await
console.log('dynamic import returns the same module instance:', lazy === esmCounter, 'count =', lazy.count);
