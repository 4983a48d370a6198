import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventually } from '#tests/helpers/wait'

const watcher = new URL('../../bin/parent_watch.js', import.meta.url).href

/** Kills the watching child (it printed "ready <pid>") if it is still there, and removes its files. */
async function cleanUp(output: string, dir: string) {
  const pid = Number(/ready (\d+)/.exec(output)?.[1])
  if (pid) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  await rm(dir, { recursive: true, force: true })
}

test.group('npm start stopped through npm', () => {
  test('a process run under a shell that is then killed (npm on SIGTERM) hears that its parent is gone', async ({
    assert,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'loket-parent-'))
    const child = join(dir, 'child.mjs')
    await writeFile(
      child,
      `import { watchParent } from ${JSON.stringify(watcher)}
       watchParent(() => { console.log('orphaned'); process.exit(0) }, { everyMs: 20 })
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
      await cleanUp(output, dir)
    }
  }).timeout(20_000)

  test('npm killed outright (SIGKILL), its shell left running: the process under that shell hears it too', async ({
    assert,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'loket-parent-'))
    const child = join(dir, 'child.mjs')
    const npm = join(dir, 'fake-npm.mjs')
    await writeFile(
      child,
      `import { ancestryUpTo, watchParent } from ${JSON.stringify(watcher)}
       const links = ancestryUpTo(/fake-npm/)
       watchParent(() => { console.log('orphaned'); process.exit(0) }, { everyMs: 20, links })
       setInterval(() => {}, 1000)
       console.log('ready ' + process.pid + ' ' + links.length)`
    )
    // Stands in for npm: runs the child under `sh -c`, as npm runs a script.
    await writeFile(
      npm,
      `import { spawn } from 'node:child_process'
       spawn('sh', ['-c', '"${process.execPath}" "${child}"; true'], { stdio: 'inherit' })
       setInterval(() => {}, 1000)`
    )
    const parent = spawn(process.execPath, [npm], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    parent.stdout!.on('data', (chunk) => (output += chunk))
    try {
      assert.isTrue(await eventually(() => output.includes('ready'), 10_000), output)
      assert.match(output, /ready \d+ 1/, 'one link watched: the shell and its parent')
      parent.kill('SIGKILL')
      assert.isTrue(await eventually(() => output.includes('orphaned'), 5_000), output)
    } finally {
      await cleanUp(output, dir)
    }
  })
    .timeout(20_000)
    .skip(process.platform !== 'linux', 'reads the process tree from /proc')
})
