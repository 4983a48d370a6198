import { randomUUID, createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { MultipartFile } from '@adonisjs/core/bodyparser'
import { IMAGE_TYPES, UPLOAD_CSP } from '#support/uploads'
import { deleteStored, readStored, sendStored, storeUpload } from '#support/file_store'
import { expectedRejection } from '#tests/helpers/errors'

const png = readFileSync(app.publicPath('icons/icon-192.png'))

/** The temporary files and disk folders the tests made, removed when the group ends. */
const leftovers: string[] = []

/** An uploaded file as the body parser leaves it: bytes in a temporary file, the client's name. */
async function upload(bytes: Buffer, clientName: string) {
  const folder = app.tmpPath('multipart')
  await mkdir(folder, { recursive: true })
  const file = new MultipartFile({ fieldName: 'photo', clientName, headers: {} }, {})
  file.tmpPath = `${folder}/${randomUUID()}`
  leftovers.push(file.tmpPath)
  file.size = bytes.length
  await writeFile(file.tmpPath, bytes)
  return file
}

/** What the tests' local disk (config/drive.ts: tmp/uploads) holds under `prefix`. */
async function onDisk(prefix: string) {
  const folder = app.tmpPath(`uploads/${prefix}`)
  return existsSync(folder) ? readdir(folder) : []
}

const photos = { allowed: IMAGE_TYPES, maxBytes: 8 * 1024 * 1024 }

/** A folder of its own on the disk for each test. */
function freshPrefix() {
  const prefix = `tests/${randomUUID()}`
  leftovers.push(app.tmpPath(`uploads/${prefix}`))
  return prefix
}

test.group('File store: uploads on the drive disk', (group) => {
  group.teardown(async () => {
    for (const path of leftovers) await rm(path, { recursive: true, force: true })
  })

  test('a PNG is stored under the prefix with a fresh name, read back byte for byte and served private and sandboxed', async ({
    assert,
  }) => {
    const prefix = freshPrefix()
    const stored = await storeUpload(await upload(png, '../../etc/passwd.png'), {
      ...photos,
      prefix,
    })

    // The key comes from the prefix and a uuid, never from the client's name.
    assert.match(stored.key, new RegExp(`^${prefix}/[0-9a-f-]{36}\\.png$`))
    assert.equal(stored.mime, 'image/png')
    assert.equal(stored.size, png.length)
    assert.equal(stored.sha256, createHash('sha256').update(png).digest('hex'))
    assert.deepEqual(await onDisk(prefix), [stored.key.split('/').pop()])
    assert.isTrue(png.equals(readFileSync(app.tmpPath(`uploads/${stored.key}`))))
    assert.isTrue(png.equals(await readStored(stored.key)))

    const ctx = await testUtils.createHttpContext()
    await sendStored(ctx.response, stored.key, stored.mime)
    assert.equal(ctx.response.getHeader('content-type'), 'image/png')
    assert.equal(ctx.response.getHeader('x-content-type-options'), 'nosniff')
    assert.equal(ctx.response.getHeader('content-security-policy'), UPLOAD_CSP)
    assert.match(String(ctx.response.getHeader('cache-control')), /^private\b/)
    assert.isTrue(png.equals(ctx.response.getBody()))

    // Stored as a PNG, it is not served where a PDF is expected.
    const elsewhere = await testUtils.createHttpContext()
    await sendStored(elsewhere.response, stored.key, 'application/pdf')
    assert.equal(elsewhere.response.getStatus(), 404)
  })

  test('a file over the limit is refused with the limit in the message, and nothing is written', async ({
    assert,
  }) => {
    const prefix = freshPrefix()
    const refused = await expectedRejection(
      storeUpload(await upload(png, 'shot.png'), { ...photos, maxBytes: 1024, prefix })
    )
    assert.equal(refused.message, 'upload_too_large')
    assert.equal(refused.status, 422)
    assert.deepEqual(refused.params, { max: '1 KB' })

    // The bytes count, whatever size the parser reported.
    const big = await upload(Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]), 'big.png')
    big.size = 10
    const tooBig = await expectedRejection(
      storeUpload(big, { ...photos, maxBytes: 2 * 1024 * 1024, prefix })
    )
    assert.equal(tooBig.message, 'upload_too_large')
    assert.deepEqual(tooBig.params, { max: '2 MB' })
    assert.deepEqual(await onDisk(prefix), [])
  })

  test('HTML named .png is refused by its bytes with the accepted types, and nothing is written', async ({
    assert,
  }) => {
    const prefix = freshPrefix()
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>')
    const refused = await expectedRejection(
      storeUpload(await upload(html, 'photo.png'), { ...photos, prefix })
    )
    assert.equal(refused.message, 'upload_type_refused')
    assert.equal(refused.status, 422)
    assert.deepEqual(refused.params, { types: 'PNG, JPG, WEBP' })
    assert.deepEqual(await onDisk(prefix), [])
  })

  test('a deleted file is gone from the disk and can no longer be read', async ({ assert }) => {
    const prefix = freshPrefix()
    const stored = await storeUpload(await upload(png, 'shot.png'), { ...photos, prefix })
    assert.lengthOf(await onDisk(prefix), 1)

    await deleteStored(stored.key)
    assert.deepEqual(await onDisk(prefix), [])
    await assert.rejects(() => readStored(stored.key))
  })

  test('a prefix that could leave its folder is refused before anything is written', async ({
    assert,
  }) => {
    const file = await upload(png, 'shot.png')
    for (const prefix of ['../outside', 'jobs//1', '', 'jobs/1/']) {
      await assert.rejects(() => storeUpload(file, { ...photos, prefix }), /Invalid upload prefix/)
    }
  })
})
