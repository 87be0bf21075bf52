// ESM with top-level await.
const value = await new Promise((resolve) => setTimeout(() => resolve(42), 5));
console.log('awaited', value, typeof import.meta.url);
