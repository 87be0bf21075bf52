// Prints N numbered lines on stdout (a stand-in for ffmpeg's progress output).
const n = Number(process.argv[2] || 3);
for (let i = 1; i <= n; i++) console.log(`line ${i}`);
