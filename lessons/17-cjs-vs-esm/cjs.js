// CommonJS: require() is a plain synchronous function call. Watch the main
// script bar: module loading (file reads + compile) happens inside it.
console.log('main: before require');
const math = require('./support/math.cjs');           // runs math.cjs now
console.log('main: after require, add(2, 3) =', math.add(2, 3));
console.log('cached: same object on second require:', require('./support/math.cjs') === math);
if (process.argv.length > 5) require('./does-not-exist'); // dynamic: only resolved if reached
console.log('__filename available:', require('path').basename(__filename));
try {
  require('./support/config.mjs');                    // CJS cannot require ESM in Node 18
} catch (e) {
  console.log('require(esm) ->', e.code);
}
import('./support/config.mjs').then((m) => {          // ...but import() works, asynchronously
  console.log('import(esm) resolved later: mode =', m.mode, 'default =', JSON.stringify(m.default));
});
console.log('main: end of script (the import() is still pending)');
