// Hidden classes ("maps"): objects built the same way share one; property
// order, late additions and delete all create different ones.
const v8 = require('v8');
v8.setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
const fastProps = new Function('o', 'return %HasFastProperties(o)');

function Point(x, y) { this.x = x; this.y = y; }
const p1 = new Point(1, 2);
const p2 = new Point(3, 4);
console.log('two Points share a hidden class:', sameMap(p1, p2));

const a = {}; a.x = 1; a.y = 2;
const b = {}; b.y = 2; b.x = 1;
console.log('{x,y} vs {y,x} share a hidden class:', sameMap(a, b));

const p3 = new Point(5, 6);
p3.z = 7; // added after construction: p3 moves to a new hidden class
console.log('Point with a late .z shares the class of other Points:', sameMap(p1, p3));

const p4 = new Point(8, 9);
delete p4.x; // deleting a property that is not the last one added: slow "dictionary" properties
console.log('after delete of .x, p4 has fast properties:', fastProps(p4));
const p5 = new Point(10, 11);
delete p5.y; // deleting the LAST property added: V8 simply steps back to the previous hidden class
console.log('after delete of the last-added .y, p5 has fast properties:', fastProps(p5));
console.log('p1 still has fast properties:', fastProps(p1));
