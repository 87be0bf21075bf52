// ESM: exports are LIVE bindings to the module's variables.
export let count = 0;
export function increment() { count += 1; }
