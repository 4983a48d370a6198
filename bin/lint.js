/*
| `npm run lint`: ESLint (the AdonisJS preset) and Prettier's check, side by side. Prettier runs on
| its own rather than as an ESLint rule: as a rule it formatted every file inside ESLint's single
| thread and took over 80% of a 44 s lint; as two processes the lint takes about as long as the
| slower of the two. Exits non-zero when either fails.
*/
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(bin(command), args, { cwd: root, stdio: 'inherit' })
    child.on('exit', (code) => resolve(code ?? 1))
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`)
      resolve(1)
    })
  })
}

const codes = await Promise.all([
  run('eslint', ['.']),
  run('prettier', ['--check', '--log-level', 'warn', '.']),
])
process.exit(codes.some((code) => code !== 0) ? 1 : 0)
