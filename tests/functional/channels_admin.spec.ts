import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import MessagingChannel from '#models/messaging_channel'
import Notification from '#models/notification'
import AuditLog from '#models/audit_log'
import OptOut from '#models/opt_out'
import User from '#models/user'
import jobs from '#support/jobs'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import { FakeSmsGateway } from '#tests/fakes/sms_gateway'
import { FakeWhatsappGraph } from '#tests/fakes/whatsapp_graph'
import { FakeSmtpServer } from '#tests/fakes/smtp_server'
import { jobsInProcess, whatsappThrough } from '#tests/helpers/outbox'

const PAGE = '/admin/messaging/channels'

const whatsappForm = {
  phone_number_id: '106540352242922',
  access_token: 'EAAG-secret-token-1',
  app_secret: 'app-secret-0123456789',
  is_active: '1',
}

async function channelOf(tenantId: number, kind: string) {
  return MessagingChannel.query().where('tenant_id', tenantId).where('kind', kind).firstOrFail()
}

/** An admin of the tenant besides the world's: `extra` limits it to a branch or sets its language. */
function anotherAdmin(
  tenantId: number,
  fullName: string,
  email: string,
  extra: { branchId?: number; locale?: string } = {}
) {
  return User.create({
    tenantId,
    branchId: null,
    fullName,
    email,
    password: PASSWORD,
    role: 'admin',
    isActive: true,
    ...extra,
  })
}

/** `user` saves the settings form of the `kind` channel (the request: chain more before awaiting). */
function saveChannel(client: ApiClient, user: User, kind: string, form: Record<string, unknown>) {
  return client.put(`${PAGE}/${kind}`).form(form).withCsrfToken().loginAs(user)
}

/** `user` sends a test message to `recipient` through the `kind` channel (the request, as above). */
function sendTestMessage(client: ApiClient, user: User, kind: string, recipient: string) {
  return client.post(`${PAGE}/${kind}/test`).form({ recipient }).withCsrfToken().loginAs(user)
}

test.group('Admin: message channels, settings', () => {
  test('an admin saves the WhatsApp account: secrets are stored encrypted, never shown and never audited', async ({
    client,
    assert,
  }) => {
    const { admin, tenant } = await createWorld()
    const response = await saveChannel(client, admin, 'whatsapp', whatsappForm).redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('success', 'Pengaturan WhatsApp disimpan.')

    const channel = await channelOf(tenant.id, 'whatsapp')
    assert.isTrue(channel.isActive)
    assert.equal(channel.settings.access_token, 'EAAG-secret-token-1')
    assert.equal(channel.settings.app_secret, 'app-secret-0123456789')
    assert.match(channel.settings.verify_token, /^[A-Za-z0-9_-]{24}$/)
    const stored = await db.from('messaging_channels').where('id', channel.id).first()
    assert.notInclude(stored.settings, 'EAAG-secret-token-1')

    const page = await client.get(PAGE).loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes(`/webhooks/whatsapp/${tenant.slug}`)
    page.assertTextIncludes(channel.settings.verify_token)
    page.assertTextIncludes('Sudah tersimpan. Kosongkan untuk tetap memakai yang lama.')
    assert.notInclude(page.text(), 'EAAG-secret-token-1')
    assert.notInclude(page.text(), 'app-secret-0123456789')

    const audit = await AuditLog.query()
      .where('tenant_id', tenant.id)
      .where('action', 'messaging_channel.created')
      .firstOrFail()
    const logged = JSON.stringify(audit.changes)
    for (const secret of [
      'EAAG-secret-token-1',
      'app-secret-0123456789',
      channel.settings.verify_token,
    ])
      assert.notInclude(logged, secret)
    assert.sameMembers(audit.changes!.secrets_changed as string[], [
      'access_token',
      'app_secret',
      'verify_token',
    ])
    assert.deepEqual(audit.changes!.phone_number_id, [null, '106540352242922'])
    assert.equal(audit.subjectId, 'whatsapp')
  })

  test('leaving a secret blank keeps the stored one; only the changed fields are audited', async ({
    client,
    assert,
  }) => {
    const { admin, tenant } = await createWorld()
    await saveChannel(client, admin, 'whatsapp', {
      ...whatsappForm,
      verify_token: 'my-verify-token',
    })
    await saveChannel(client, admin, 'whatsapp', {
      phone_number_id: '106540352242999',
      access_token: '',
      app_secret: '',
      verify_token: '',
      is_active: '1',
    })

    const channel = await channelOf(tenant.id, 'whatsapp')
    assert.deepEqual(channel.settings, {
      phone_number_id: '106540352242999',
      access_token: 'EAAG-secret-token-1',
      app_secret: 'app-secret-0123456789',
      verify_token: 'my-verify-token',
    })
    const updated = await AuditLog.query()
      .where('tenant_id', tenant.id)
      .where('action', 'messaging_channel.updated')
      .firstOrFail()
    assert.deepEqual(updated.changes, { phone_number_id: ['106540352242922', '106540352242999'] })

    await saveChannel(client, admin, 'whatsapp', { phone_number_id: '106540352242999' })
    await channel.refresh()
    assert.isFalse(channel.isActive)
    const switchedOff = await AuditLog.query()
      .where('tenant_id', tenant.id)
      .where('action', 'messaging_channel.updated')
      .orderBy('id', 'desc')
      .firstOrFail()
    assert.deepEqual(switchedOff.changes, { is_active: [true, false] })
  })

  test('invalid settings answer 422 with messages in the user language', async ({
    client,
    assert,
  }) => {
    const { admin, operator, tenant } = await createWorld()
    const response = await client
      .put(`${PAGE}/sms`)
      .json({ base_url: 'ftp://gateway.example.com', from: 'not a sender!' })
      .withCsrfToken()
      .loginAs(admin)
      .accept('json')
    response.assertStatus(422)
    const messages = Object.fromEntries(
      response
        .body()
        .error.fields.map((field: { field: string; message: string }) => [
          field.field,
          field.message,
        ])
    )
    assert.deepEqual(messages, {
      base_url:
        'Alamat gateway harus berupa alamat http:// atau https:// tanpa nama pengguna, kata sandi atau parameter',
      account_sid: 'Account SID wajib diisi',
      auth_token: 'Auth token wajib diisi',
      from: 'Pengirim harus nomor +62... atau nama pengirim sampai 11 huruf/angka',
    })

    const english = await anotherAdmin(tenant.id, 'English Admin', `en-${operator.id}@test.loket`, {
      locale: 'en',
    })
    const inEnglish = await client
      .put(`${PAGE}/email`)
      .json({
        host: 'smtp.example.com',
        port: 70000,
        from_address: 'not-an-email',
        username: 'loket',
      })
      .withCsrfToken()
      .loginAs(english)
      .accept('json')
    inEnglish.assertStatus(422)
    assert.deepEqual(
      Object.fromEntries(
        inEnglish
          .body()
          .error.fields.map((field: { field: string; message: string }) => [
            field.field,
            field.message,
          ])
      ),
      {
        port: 'Port must be between 1 and 65535',
        password: 'Password is required',
        from_address: 'Sender address must be a valid email address',
      }
    )
    assert.lengthOf(await MessagingChannel.query().where('tenant_id', tenant.id), 0)
  })

  test('a form with errors goes back to the page, which shows the message under the field', async ({
    client,
    assert,
  }) => {
    const { admin, tenant } = await createWorld()
    const response = await client
      .put(`${PAGE}/whatsapp`)
      .form({ phone_number_id: 'abc', access_token: 'x', app_secret: 'y' })
      .header('referer', PAGE)
      .withCsrfToken()
      .loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('Phone number ID hanya berisi angka (5 sampai 30 digit)')
    assert.lengthOf(await MessagingChannel.query().where('tenant_id', tenant.id), 0)
  })

  test('operators and admins limited to one branch get 403', async ({ client, assert }) => {
    const { operator, tenant, branch } = await createWorld()
    const branchAdmin = await anotherAdmin(
      tenant.id,
      'Branch Admin',
      `branch-admin-${branch.id}@test.loket`,
      { branchId: branch.id }
    )
    for (const user of [operator, branchAdmin]) {
      ;(await client.get(PAGE).loginAs(user)).assertStatus(403)
      ;(await saveChannel(client, user, 'whatsapp', whatsappForm)).assertStatus(403)
      ;(await sendTestMessage(client, user, 'whatsapp', '081234567890')).assertStatus(403)
    }
    assert.lengthOf(await MessagingChannel.query().where('tenant_id', tenant.id), 0)
  })

  test("another tenant's channels never show, and a save changes only one's own", async ({
    client,
    assert,
  }) => {
    const one = await createWorld()
    const other = await createWorld()
    const theirs = await MessagingChannel.create({
      tenantId: other.tenant.id,
      kind: 'whatsapp',
      isActive: true,
      settings: {
        phone_number_id: '999888777666',
        access_token: 'their-token',
        app_secret: 'their-secret',
        verify_token: 'their-verify-token',
      },
    })
    const page = await client.get(PAGE).loginAs(one.admin)
    page.assertStatus(200)
    for (const value of ['999888777666', 'their-verify-token', other.tenant.slug])
      assert.notInclude(page.text(), value)
    page.assertTextIncludes('Belum diatur')

    await saveChannel(client, one.admin, 'whatsapp', whatsappForm)
    await theirs.refresh()
    assert.equal(theirs.settings.phone_number_id, '999888777666')
    assert.equal(theirs.settings.access_token, 'their-token')
    assert.equal(
      (await channelOf(one.tenant.id, 'whatsapp')).settings.phone_number_id,
      whatsappForm.phone_number_id
    )
  })

  test('a save without the CSRF token changes nothing', async ({ client, assert }) => {
    const { admin, tenant } = await createWorld()
    const response = await client
      .put(`${PAGE}/whatsapp`)
      .form(whatsappForm)
      .loginAs(admin)
      .redirects(0)
    assert.notEqual(response.status(), 200)
    assert.lengthOf(await MessagingChannel.query().where('tenant_id', tenant.id), 0)
  })

  test('an unknown channel kind answers 404', async ({ client }) => {
    const { admin } = await createWorld()
    ;(await saveChannel(client, admin, 'log', {})).assertStatus(404)
  })
})

test.group('Admin: message channels, test messages', (group) => {
  const gateway = new FakeSmsGateway()
  const graph = new FakeWhatsappGraph()
  const smtp = new FakeSmtpServer()

  group.setup(async () => {
    await Promise.all([gateway.start(), graph.start(), smtp.start()])
    const restoreGraph = whatsappThrough(graph)
    const restoreJobs = jobsInProcess()
    return async () => {
      await restoreJobs()
      restoreGraph()
      await Promise.all([gateway.stop(), graph.stop(), smtp.stop()])
    }
  })
  group.each.setup(() => {
    gateway.reset()
    graph.reset()
    smtp.reset()
  })

  test('an SMS test message lands in the outbox and the worker delivers it through the gateway', async ({
    client,
    assert,
  }) => {
    const { admin, tenant } = await createWorld()
    await saveChannel(client, admin, 'sms', {
      base_url: `${gateway.url}/`,
      account_sid: gateway.accountSid,
      auth_token: gateway.authToken,
      from: 'KLINIK',
      is_active: '1',
    })
    assert.equal((await channelOf(tenant.id, 'sms')).settings.base_url, gateway.url)

    const response = await sendTestMessage(client, admin, 'sms', '0812-3456-7890').redirects(0)
    response.assertFlashMessage('success', 'Pesan uji ke +6281234567890 masuk ke kotak keluar.')
    await jobs.idle()

    const notification = await Notification.query().where('tenant_id', tenant.id).firstOrFail()
    assert.deepInclude(notification.$attributes, {
      event: 'test_message',
      channel: 'sms',
      recipient: '+6281234567890',
      status: 'sent',
      attempts: 1,
    })
    assert.lengthOf(gateway.accepted, 1)
    assert.equal(notification.providerMessageId, gateway.accepted[0].sid)
    assert.equal(gateway.accepted[0].from, 'KLINIK')
    assert.equal(
      gateway.accepted[0].body,
      `Pesan uji dari ${tenant.name} lewat Loket. Jika pesan ini sampai, saluran siap dipakai.`
    )
  })

  test('a WhatsApp test message outside the window goes as the approved template', async ({
    client,
    assert,
  }) => {
    const { admin, tenant } = await createWorld()
    graph.accessToken = whatsappForm.access_token
    graph.templates = new Map([['loket_test_message', 1]])
    await saveChannel(client, admin, 'whatsapp', whatsappForm)
    await sendTestMessage(client, admin, 'whatsapp', '+62 812 3456 7890')
    await jobs.idle()

    const notification = await Notification.query().where('tenant_id', tenant.id).firstOrFail()
    assert.equal(notification.status, 'sent')
    assert.equal(notification.providerMessageId, graph.accepted[0].id)
    assert.deepEqual(graph.accepted[0].payload.template, {
      name: 'loket_test_message',
      language: { code: 'id' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: tenant.name }] }],
    })
  })

  test('an email test message is delivered through the SMTP server, in the admin language', async ({
    client,
    assert,
  }) => {
    const { tenant, operator } = await createWorld()
    const admin = await anotherAdmin(tenant.id, 'Admin Inggeris', `ms-${operator.id}@test.loket`, {
      locale: 'en',
    })
    await saveChannel(client, admin, 'email', {
      host: smtp.host,
      port: smtp.port,
      from_address: 'antrean@klinik.test',
      from_name: 'Klinik',
      is_active: '1',
    })
    await sendTestMessage(client, admin, 'email', 'siti@example.com')
    await jobs.idle()

    const notification = await Notification.query().where('tenant_id', tenant.id).firstOrFail()
    assert.equal(notification.status, 'sent')
    assert.lengthOf(smtp.mails, 1)
    assert.equal(smtp.mails[0].subject, `Test message from ${tenant.name}`)
    assert.deepEqual(smtp.mails[0].envelopeTo, ['siti@example.com'])
    assert.equal(notification.providerMessageId, smtp.mails[0].headers['message-id'])
  })

  test('a switched-off channel, a bad number or an opted-out recipient get no test message', async ({
    client,
    assert,
  }) => {
    const { admin, tenant } = await createWorld()
    await saveChannel(client, admin, 'sms', {
      base_url: gateway.url,
      account_sid: gateway.accountSid,
      auth_token: gateway.authToken,
      from: 'KLINIK',
    })
    const off = await sendTestMessage(client, admin, 'sms', '081234567890').redirects(0)
    off.assertFlashMessage('error', 'Saluran ini belum aktif. Aktifkan dan simpan dulu.')

    await saveChannel(client, admin, 'sms', {
      base_url: gateway.url,
      account_sid: gateway.accountSid,
      from: 'KLINIK',
      is_active: '1',
    })
    const bad = await client
      .post(`${PAGE}/sms/test`)
      .json({ recipient: 'halo' })
      .withCsrfToken()
      .loginAs(admin)
      .accept('json')
    bad.assertStatus(422)
    assert.equal(
      bad.body().error.fields[0].message,
      'Tujuan harus berupa nomor telepon, mis. 0812 3456 7890'
    )

    await OptOut.create({
      tenantId: tenant.id,
      channel: 'sms',
      recipient: '+6281234567890',
      source: 'link',
    })
    const optedOut = await sendTestMessage(client, admin, 'sms', '081234567890').redirects(0)
    optedOut.assertFlashMessage(
      'error',
      '+6281234567890 sudah berhenti berlangganan pesan dari saluran ini; pesan uji tidak dikirim.'
    )

    await jobs.idle()
    assert.lengthOf(await Notification.query().where('tenant_id', tenant.id), 0)
    assert.lengthOf(gateway.requests, 0)
  })
})
