import net from 'node:net'

/**
 * A TCP port nobody listens on now, for a server a test starts in a process of its own. Chosen by
 * the kernel instead of derived from the test's pid, so that two test runs on one machine (the
 * SQLite and MySQL suites side by side) never pick the same one.
 */
export function freePort(host = '127.0.0.1') {
  return new Promise<number>((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
