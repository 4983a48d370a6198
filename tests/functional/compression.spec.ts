import { test } from '@japa/runner'
import { request as httpRequest } from 'node:http'
import { readFileSync } from 'node:fs'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import app from '@adonisjs/core/services/app'
import QueueEngine from '#services/queue/queue_engine'
import liveVersion from '#support/live_version'
import { createWorld } from '#tests/helpers/world'

const engine = await app.container.make(QueueEngine)

interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The bytes on the wire, as sent (still compressed). */
  raw: Buffer
  /** The body decoded by its Content-Encoding. */
  text: string
}

/**
 * One request over plain node:http, which (unlike the api client and fetch) never decodes the
 * body: the test sees the bytes on the wire and the headers exactly as sent.
 */
function get(path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: process.env.HOST, port: process.env.PORT, path, method: 'GET', headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const raw = Buffer.concat(chunks)
          const encoding = res.headers['content-encoding']
          const decoded =
            raw.length === 0
              ? raw
              : encoding === 'br'
                ? brotliDecompressSync(raw)
                : encoding === 'gzip'
                  ? gunzipSync(raw)
                  : raw
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            raw,
            text: decoded.toString('utf8'),
          })
        })
      }
    )
    req.on('error', reject)
    req.end()
  })
}

const htmx = JSON.parse(readFileSync(app.publicPath('vendor/manifest.json'), 'utf8')).htmx as string
const htmxSource = readFileSync(app.publicPath(htmx.slice(1)), 'utf8')

test.group('Compression: pages', () => {
  test('a page goes out in brotli when the client takes it, gzip when only that', async ({
    assert,
  }) => {
    const { branch } = await createWorld()
    const plain = await get(`/b/${branch.slug}`)
    const br = await get(`/b/${branch.slug}`, { 'accept-encoding': 'gzip, deflate, br, zstd' })
    const gz = await get(`/b/${branch.slug}`, { 'accept-encoding': 'gzip, deflate' })

    assert.equal(br.status, 200)
    assert.equal(br.headers['content-encoding'], 'br')
    assert.match(String(br.headers['content-type']), /^text\/html/)
    assert.include(String(br.headers['vary']), 'Accept-Encoding')
    assert.equal(Number(br.headers['content-length']), br.raw.length)
    assert.include(br.text, 'Pilih layanan')
    assert.isBelow(br.raw.length, plain.raw.length / 2)

    assert.equal(gz.headers['content-encoding'], 'gzip')
    assert.include(gz.text, 'Pilih layanan')
    assert.isBelow(gz.raw.length, plain.raw.length * 0.6)
  })

  test('a client that does not ask gets the page as it is, with Vary', async ({ assert }) => {
    const { branch } = await createWorld()
    const plain = await get(`/b/${branch.slug}`)
    const refused = await get(`/b/${branch.slug}`, { 'accept-encoding': 'br;q=0, gzip;q=0' })

    for (const answer of [plain, refused]) {
      assert.equal(answer.status, 200)
      assert.isUndefined(answer.headers['content-encoding'])
      assert.include(answer.raw.toString('utf8'), 'Pilih layanan')
      assert.include(String(answer.headers['vary']), 'Accept-Encoding')
    }
  })

  test('a poll with nothing new stays an empty 204; a changed one comes compressed', async ({
    assert,
  }) => {
    const { branch, services } = await createWorld()
    const ticket = await engine.take(branch, services[0], { channel: 'web' })
    const version = await liveVersion.get(branch.id)
    const poll = `/t/${ticket.id}/live?b=${branch.id}&v=${version}`

    const unchanged = await get(poll, { 'accept-encoding': 'br, gzip' })
    assert.equal(unchanged.status, 204)
    assert.equal(unchanged.raw.length, 0)
    assert.isUndefined(unchanged.headers['content-encoding'])

    await engine.take(branch, services[0], { channel: 'web' })
    const changed = await get(poll, { 'accept-encoding': 'br, gzip' })
    assert.equal(changed.status, 200)
    assert.include(changed.text, 'id="ticket-live"')
  })

  test('a small JSON answer is not worth compressing', async ({ assert }) => {
    const answer = await get('/healthz', { 'accept-encoding': 'br, gzip' })
    assert.isUndefined(answer.headers['content-encoding'])
  })
})

test.group('Compression: files from public/', () => {
  test('htmx comes precompressed in brotli and gzip with its type and a year of cache', async ({
    assert,
  }) => {
    const br = await get(htmx, { 'accept-encoding': 'gzip, deflate, br' })
    assert.equal(br.status, 200)
    assert.equal(br.headers['content-encoding'], 'br')
    assert.match(String(br.headers['content-type']), /^text\/javascript/)
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.include(String(br.headers['vary']), 'Accept-Encoding')
    assert.equal(br.text, htmxSource)
    assert.isBelow(br.raw.length, 20_000)
    assert.equal(Number(br.headers['content-length']), br.raw.length)
    // The security headers still reach files.
    assert.isDefined(br.headers['content-security-policy'])

    const gz = await get(htmx, { 'accept-encoding': 'gzip' })
    assert.equal(gz.headers['content-encoding'], 'gzip')
    assert.equal(gz.text, htmxSource)
    assert.notEqual(gz.headers['etag'], br.headers['etag'])
  })

  test('the stylesheet without Accept-Encoding is the file as it is', async ({ assert }) => {
    const css = readFileSync(app.publicPath('css/app.css'), 'utf8')
    const plain = await get('/css/app.css')
    assert.equal(plain.status, 200)
    assert.isUndefined(plain.headers['content-encoding'])
    assert.match(String(plain.headers['content-type']), /^text\/css/)
    assert.include(String(plain.headers['vary']), 'Accept-Encoding')
    assert.equal(plain.raw.toString('utf8'), css)

    const gz = await get('/css/app.css', { 'accept-encoding': 'gzip' })
    assert.equal(gz.headers['content-encoding'], 'gzip')
    assert.equal(gz.headers['cache-control'], 'public, max-age=3600')
    assert.equal(gz.text, css)
  })

  test('revalidating with the ETag answers 304 with no body, per encoding', async ({ assert }) => {
    const first = await get('/css/app.css', { 'accept-encoding': 'br' })
    const etag = String(first.headers['etag'])
    const again = await get('/css/app.css', { 'accept-encoding': 'br', 'if-none-match': etag })
    assert.equal(again.status, 304)
    assert.equal(again.raw.length, 0)
    assert.equal(again.headers['etag'], etag)

    // The brotli copy's tag does not validate the gzip one.
    const other = await get('/css/app.css', { 'accept-encoding': 'gzip', 'if-none-match': etag })
    assert.equal(other.status, 200)
    assert.equal(other.headers['content-encoding'], 'gzip')

    const identity = await get('/css/app.css')
    const plainAgain = await get('/css/app.css', {
      'if-none-match': String(identity.headers['etag']),
    })
    assert.equal(plainAgain.status, 304)
  })

  test('images are never compressed again, and paths out of public/ find nothing', async ({
    assert,
  }) => {
    const png = await get('/icons/icon-192.png', { 'accept-encoding': 'br, gzip' })
    assert.equal(png.status, 200)
    assert.isUndefined(png.headers['content-encoding'])

    const climbing = await get('/css/%2e%2e/%2e%2e/package.json', { 'accept-encoding': 'br' })
    assert.notEqual(climbing.status, 200)
  })
})
