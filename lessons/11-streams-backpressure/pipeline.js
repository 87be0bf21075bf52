// pipeline() wires backpressure between every pair AND tears the whole chain
// down if any stream fails. .pipe() does only the first part.
const { pipeline, Readable, Transform, Writable } = require('stream');

const upper = () => new Transform({ transform(c, e, done) { done(null, c.toString().toUpperCase()); } });
const collect = (out) => new Writable({ write(c, e, done) { out.push(c.toString()); done(); } });
const broken = () => new Transform({ transform(c, e, done) { done(new Error('disk full')); } });

const out = [];
pipeline(Readable.from(['hello ', 'streams']), upper(), collect(out), (err) => {
  console.log(`pipeline ok: ${err === undefined}, result "${out.join('')}"`);

  const src1 = Readable.from(['a', 'b', 'c']);
  pipeline(src1, broken(), collect([]), (err2) => {
    console.log(`pipeline failed with "${err2.message}", source destroyed: ${src1.destroyed}`);

    const src2 = Readable.from(['a', 'b', 'c']);
    const t = broken();
    t.on('error', (e) => {
      setImmediate(() => console.log(`.pipe() saw "${e.message}", source destroyed: ${src2.destroyed} (a leak)`));
    });
    src2.pipe(t).pipe(collect([]));
  });
});
