// CommonJS: exports a copy of the value at the time of export.
let count = 0;
module.exports = { count, increment() { count += 1; module.exports.count = count; } };
