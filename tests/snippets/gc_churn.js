// Short-lived allocations fill the young generation again and again: scavenges.
let keep = 0;
for (let i = 0; i < 2e6; i++) {
  const garbage = { i, text: 'x' + i, list: [i, i + 1, i + 2] };
  keep += garbage.list.length;
}
console.log('allocated', keep);
