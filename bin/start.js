/*
| `npm start`: the one-command start on the embedded defaults.
|   1. creates .env from .env.example with a fresh APP_KEY when there is none,
|   2. migrates the database (SQLite in tmp/ unless .env says otherwise),
|   3. seeds the demo tenant once (it does nothing when it exists),
|   4. serves Loket on PORT (default 3333) and prints where to open it (and, on the first run,
|      the demo's links and accounts).
*/
import { randomBytes } from 'node:crypto'
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ancestryUpTo, watchParent } from './parent_watch.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
let server = null

// Stopped through npm (SIGTERM to npm, which ends the shell between them, or npm killed
// outright): stop as on SIGTERM. Only under npm: `nohup node bin/start.js &` from a shell that
// then exits keeps running.
if (process.env.npm_lifecycle_event)
  watchParent(() => (server ? server.kill('SIGTERM') : process.exit(143)), {
    links: ancestryUpTo(/(^|[\s/])npm(-cli\.js)?(\s|$)/),
  })
const envFile = join(root, '.env')

if (!existsSync(envFile)) {
  const example = readFileSync(join(root, '.env.example'), 'utf8')
  writeFileSync(
    envFile,
    example.replace(/^APP_KEY=.*$/m, `APP_KEY=${randomBytes(32).toString('base64url')}`)
  )
  console.log('start: created .env with a fresh APP_KEY')
}
mkdirSync(join(root, 'tmp'), { recursive: true })

function ace(...args) {
  const result = spawnSync(process.execPath, ['ace', ...args], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/**
 * Seeds the demo; resolves true when this run created it (the seeder says so over an IPC channel),
 * so that the server's banner lists the demo's links and accounts on the first run only.
 */
function seedDemo() {
  return new Promise((resolve) => {
    let created = false
    const seeder = spawn(
      process.execPath,
      ['ace', 'db:seed', '--files', 'database/seeders/demo_seeder.ts'],
      { cwd: root, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] }
    )
    seeder.on('message', (message) => {
      if (message?.loket === 'demo-created') created = true
    })
    seeder.on('exit', (code) => {
      if (code !== 0) process.exit(code ?? 1)
      resolve(created)
    })
  })
}

ace('migration:run', '--force')
const demoCreated = await seedDemo()

// Once it listens, the server prints where to open Loket (app/support/start_banner.ts).
server = spawn(
  process.execPath,
  [
    '--import=ts-node-maintained/register/esm',
    'bin/server.ts',
    demoCreated ? '--banner=demo' : '--banner',
    // The server stops when this process goes, however it goes (even SIGKILL).
    '--stop-with-parent',
  ],
  {
    cwd: root,
    stdio: 'inherit',
  }
)
// SIGHUP (its terminal closed, or `kill -HUP`) would otherwise end this process alone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
