import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventually } from '#tests/helpers/wait'

const watcher = new URL('../../bin/parent_watch.js', import.meta.url).href

test.group('npm start stopped through npm', () => {
  test('a process run under a shell that is then killed (npm on SIGTERM) hears that its parent is gone', async ({
    assert,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'loket-parent-'))
    const child = join(dir, 'child.mjs')
    await writeFile(
      child,
      `import { watchParent } from ${JSON.stringify(watcher)}
       watchParent(() => { console.log('orphaned'); process.exit(0) }, 20)
       setInterval(() => {}, 1000)
       console.log('ready ' + process.pid)`
    )
    // `; true` keeps the shell waiting on its child, as npm's `sh -c` does.
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${child}"; true`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    shell.stdout!.on('data', (chunk) => (output += chunk))
    try {
      assert.isTrue(await eventually(() => output.includes('ready'), 10_000), output)
      assert.notInclude(output, 'orphaned')
      shell.kill('SIGTERM')
      assert.isTrue(await eventually(() => output.includes('orphaned'), 5_000), output)
    } finally {
      const pid = Number(/ready (\d+)/.exec(output)?.[1])
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {}
      }
      await rm(dir, { recursive: true, force: true })
    }
  }).timeout(20_000)
})
