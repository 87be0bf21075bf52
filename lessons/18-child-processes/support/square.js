// A forked Node child: answers messages over the IPC channel, crashes on request.
process.on('message', (msg) => {
  if (msg.type === 'square') process.send({ result: msg.value * msg.value, pid: process.pid });
  if (msg.type === 'crash') throw new Error('child crashed');
});
