// Top level: is the 1 ms timer already due when the first timers phase runs?
// It depends on how long the process took to reach the loop -> either order.
// Run it several times and compare the timelines.
setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
