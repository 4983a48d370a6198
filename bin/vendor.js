/*
| Copies the browser libraries (htmx, the kiosk's QR code generator) from node_modules into
| public/vendor with their version in the file name, so they can be served with a one-year immutable cache.
| Runs after `npm install` / `npm ci` (postinstall) and writes public/vendor/manifest.json.
*/
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const target = join(root, 'public', 'vendor')

const libraries = {
  htmx: { pkg: 'htmx.org', file: 'dist/htmx.min.js' },
  // The kiosk draws the QR codes of tickets it prints offline (public/js/kiosk.js).
  qrcode: { pkg: 'qrcode-generator', file: 'dist/qrcode.js' },
}

mkdirSync(target, { recursive: true })
for (const name of readdirSync(target)) rmSync(join(target, name))

const manifest = {}
for (const [name, { pkg, file }] of Object.entries(libraries)) {
  // Read from node_modules directly: some packages do not export their package.json.
  const pkgDir = join(root, 'node_modules', pkg)
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const fileName = `${name}-${version}.min.js`
  copyFileSync(join(pkgDir, file), join(target, fileName))
  manifest[name] = `/vendor/${fileName}`
}
writeFileSync(join(target, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
console.log(`vendor: ${Object.values(manifest).join(', ')}`)
