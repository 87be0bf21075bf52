// add() gets hot and V8 optimizes it with TurboFan; then strings arrive and V8 deoptimizes it.
// The call site below sees five different functions, so V8 cannot inline add() into the loop
// and has to optimize add() itself. TurboFan compiles on a background thread: the snippet asks
// V8 (natives syntax, enabled in traced runs) whether add() is optimized yet before changing
// the types, so the story happens the same way every time.
function add(a, b) { return a + b; }
function sub(a, b) { return a - b; }
function mul(a, b) { return a * b; }
function max(a, b) { return a > b ? a : b; }
function min(a, b) { return a < b ? a : b; }
const operations = [add, sub, mul, max, min];
const kOptimized = 16;  // V8's OptimizationStatus bit
let rounds = 0;
function warmUp() {
  for (let i = 0; i < 50000; i++) operations[i % 5](i, 1);
  if ((%GetOptimizationStatus(add) & kOptimized) === 0 && ++rounds < 200) return setImmediate(warmUp);
  console.log(add('x', 'y'));
}
warmUp();
