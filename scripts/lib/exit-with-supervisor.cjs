// Loaded into each child of `npm start` with `node --require`. The supervisor talks to its children over an IPC
// channel, which the system closes when the supervisor dies, however it dies (SIGKILL included): the child then
// stops the way SIGTERM stops it (the worker hands its run back to the queue), instead of holding its port until
// the next start finds it. Without a channel (started by hand) this does nothing.
if (typeof process.send === 'function') {
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel must not keep a child alive that has finished its work.
  if (process.channel) process.channel.unref();
}
