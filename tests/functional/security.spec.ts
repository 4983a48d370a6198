import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import Tenant from '#models/tenant'
import { createWorld } from '#tests/helpers/world'
import { UPLOAD_CSP, detectUploadType } from '#services/uploads'

/** A real PNG followed by a script: every PNG reader takes it for an image, a sniffing browser for HTML. */
const png = readFileSync(new URL('../../public/icons/icon-192.png', import.meta.url))
const polyglot = Buffer.concat([png, Buffer.from('<html><script>alert(document.cookie)</script></html>')])

test.group('Security: uploaded files', () => {
  test('a PNG-headed HTML file sent as text/html is stored and served as image/png, sandboxed and never sniffed', async ({ client, assert }) => {
    const { owner, tenant } = await createWorld()
    const upload = await client
      .post('/admin/settings/logo')
      .file('logo', polyglot, { filename: 'logo.png', contentType: 'text/html' })
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    upload.assertStatus(302)
    await tenant.refresh()
    assert.equal(tenant.logoMime, 'image/png')

    const logo = await client.get(`/brand/${tenant.slug}/logo`)
    logo.assertStatus(200)
    assert.equal(logo.header('content-type'), 'image/png')
    assert.equal(logo.header('x-content-type-options'), 'nosniff')
    assert.equal(logo.header('content-security-policy'), UPLOAD_CSP)
  })

  test('a logo stored with a type the browser claimed is served with the type of its bytes', async ({ client, assert }) => {
    const { tenant } = await createWorld()
    await Tenant.query().where('id', tenant.id).update({ logo_data: polyglot.toString('base64'), logo_mime: 'text/html' })
    const logo = await client.get(`/brand/${tenant.slug}/logo`)
    assert.equal(logo.header('content-type'), 'image/png')
    assert.equal(logo.header('content-security-policy'), UPLOAD_CSP)

    await Tenant.query().where('id', tenant.id).update({ logo_data: Buffer.from('<svg onload="alert(1)"/>').toString('base64'), logo_mime: 'image/svg+xml' })
    ;(await client.get(`/brand/${tenant.slug}/logo`)).assertStatus(404)
  })

  test('HTML named logo.png and an SVG are refused with a message; nothing is stored', async ({ client, assert }) => {
    const { owner, tenant } = await createWorld()
    const html = await client
      .post('/admin/settings/logo')
      .file('logo', Buffer.from('<!doctype html><script>alert(1)</script>'), { filename: 'logo.png', contentType: 'image/png' })
      .withCsrfToken()
      .loginAs(owner)
      .accept('json')
    html.assertStatus(422)
    assert.include(html.body().error.message, 'PNG, JPG, WEBP')
    const svg = await client
      .post('/admin/settings/logo')
      .file('logo', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), { filename: 'logo.svg', contentType: 'image/svg+xml' })
      .withCsrfToken()
      .loginAs(owner)
      .accept('json')
    svg.assertStatus(422)
    await tenant.refresh()
    assert.isNull(tenant.logoData)
  })

  test('types are told by their first bytes: PNG, JPEG, WebP, PDF; nothing else', ({ assert }) => {
    assert.equal(detectUploadType(polyglot), 'image/png')
    assert.equal(detectUploadType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'image/jpeg')
    assert.equal(detectUploadType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')), 'image/webp')
    assert.equal(detectUploadType(Buffer.from('%PDF-1.7\n')), 'application/pdf')
    assert.isNull(detectUploadType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')))
    assert.isNull(detectUploadType(Buffer.from('<svg/>')))
    assert.isNull(detectUploadType(Buffer.alloc(0)))
  })
})
