/**
 * Calls `onOrphaned` once, when this process's parent has gone. `npm start` runs bin/start.js
 * under `sh -c`: a service manager that stops npm with SIGTERM ends npm and that shell, and the
 * shell does not pass the signal on, so the server would otherwise go on running, orphaned, and
 * keep its port. The check is a read of the parent's pid every `everyMs`; the timer does not keep
 * the process alive.
 */
export function watchParent(onOrphaned, everyMs = 250) {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    onOrphaned()
  }, everyMs)
  timer.unref()
  return timer
}
