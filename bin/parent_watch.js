import { readFileSync } from 'node:fs'

/** The parent of `pid` as /proc tells it (Linux), or null where it cannot be read. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (command) state ppid …": the command may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return null
  }
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

/**
 * The links from this process's parent up to the nearest ancestor whose command line matches
 * `pattern` (at most `depth` links), as [child, parent] pairs: `npm start` runs bin/start.js
 * under `sh -c`, and npm killed outright leaves that shell running, so watching the parent alone
 * would miss it. Empty when no ancestor matches or /proc cannot be read.
 */
export function ancestryUpTo(pattern, depth = 3) {
  const links = []
  let child = process.ppid
  for (let step = 0; step < depth && child > 1; step++) {
    if (pattern.test(commandOf(child))) return links
    const parent = parentOf(child)
    if (!parent) return []
    links.push([child, parent])
    child = parent
  }
  return child > 1 && pattern.test(commandOf(child)) ? links : []
}

/**
 * Calls `onOrphaned` once, when this process's parent has gone, or any of `links` (pairs from
 * `ancestryUpTo`) no longer holds: a process whose parent dies is handed to init at once, even
 * before its parent is reaped. `npm start` runs bin/start.js under `sh -c`: a service manager
 * that stops npm with SIGTERM ends npm and that shell, and the shell does not pass the signal on,
 * so the server would otherwise go on running, orphaned, and keep its port. The check reads the
 * pids every `everyMs`; the timer does not keep the process alive.
 */
export function watchParent(onOrphaned, { everyMs = 250, links = [] } = {}) {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent && links.every(([child, up]) => parentOf(child) === up)) return
    clearInterval(timer)
    onOrphaned()
  }, everyMs)
  timer.unref()
  return timer
}
