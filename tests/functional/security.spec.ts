import { readFileSync } from 'node:fs'
import { randomBytes, randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { RECORD_ID_PARAMS } from '#start/routes'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import type { SessionData } from '@adonisjs/session/types'
import hash from '@adonisjs/core/services/hash'
import encryption from '@adonisjs/core/services/encryption'
import Tenant from '#models/tenant'
import Branch from '#models/branch'
import Ticket from '#models/ticket'
import User from '#models/user'
import AuditLog from '#models/audit_log'
import { createWorld, PASSWORD } from '#tests/helpers/world'
import { UPLOAD_CSP, detectUploadType } from '#support/uploads'
import { rateLimits, refill } from '#start/limiter'
import { trustedProxies } from '#config/app'
import { redisEnabled } from '#config/redis'
import env from '#start/env'
import { redisReady } from '#support/redis_state'
import { operatorAccess } from '#support/secrets'
import { RedisLink, routeMainRedisThrough } from '#tests/helpers/redis_link'
import { eventually } from '#tests/helpers/wait'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { flashInput } from '#support/flashed_input'
import { logoServedAsPng } from '#tests/helpers/logo'
import { baseUrl } from '#tests/helpers/browser'

/** A real PNG followed by a script: every PNG reader takes it for an image, a sniffing browser for HTML. */
const png = readFileSync(new URL('../../public/icons/icon-192.png', import.meta.url))
const polyglot = Buffer.concat([
  png,
  Buffer.from('<html><script>alert(document.cookie)</script></html>'),
])

/** The files directly in the temp directory, written since `since`, that hold `marker`. */
async function tempFilesHolding(marker: string, since: number) {
  const found: string[] = []
  for (const name of await readdir(tmpdir())) {
    const path = join(tmpdir(), name)
    const info = await stat(path).catch(() => null)
    if (!info?.isFile() || info.mtimeMs < since || info.size > 1_000_000) continue
    const bytes = await readFile(path).catch(() => null)
    if (bytes?.includes(marker)) found.push(path)
  }
  return found
}

test.group('Security: uploaded files', () => {
  test('no posted file stays on disk: not one sent to a route that takes none, nor one refused at login, nor one stored', async ({
    client,
    assert,
  }) => {
    const { owner, branch, services } = await createWorld()
    const since = Date.now() - 2_000
    const marker = `loket-upload-${randomUUID()}`
    const file = Buffer.concat([png, Buffer.from(marker), randomBytes(40_000)])
    const options = { filename: 'logo.png', contentType: 'image/png' }

    await client
      .post(`/b/${branch.slug}/tickets`)
      .field('service_id', String(services[0].id))
      .file('logo', file, options)
      .withCsrfToken()
      .redirects(0)
    const anonymous = await client
      .post('/admin/settings/logo')
      .file('logo', file, options)
      .withCsrfToken()
      .redirects(0)
    assert.equal(anonymous.status(), 302, 'sent to the login page')
    const stored = await client
      .post('/admin/settings/logo')
      .file('logo', file, options)
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    stored.assertStatus(302)
    assert.isNotNull((await Tenant.findOrFail(owner.tenantId)).logoData, 'the logo was stored')

    const left = () => tempFilesHolding(marker, since)
    assert.isTrue(
      await eventually(async () => (await left()).length === 0, 5_000),
      String(await left())
    )
  })

  test('a PNG-headed HTML file sent as text/html is stored and served as image/png, sandboxed and never sniffed', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createWorld()
    const upload = await client
      .post('/admin/settings/logo')
      .file('logo', polyglot, { filename: 'logo.png', contentType: 'text/html' })
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    upload.assertStatus(302)
    const logo = await logoServedAsPng({ client, assert }, tenant)
    assert.equal(logo.header('x-content-type-options'), 'nosniff')
    assert.equal(logo.header('content-security-policy'), UPLOAD_CSP)
  })

  test('a logo stored with a type the browser claimed is served with the type of its bytes', async ({
    client,
    assert,
  }) => {
    const { tenant } = await createWorld()
    await Tenant.query()
      .where('id', tenant.id)
      .update({ logo_data: polyglot.toString('base64'), logo_mime: 'text/html' })
    const logo = await client.get(`/brand/${tenant.slug}/logo`)
    assert.equal(logo.header('content-type'), 'image/png')
    assert.equal(logo.header('content-security-policy'), UPLOAD_CSP)

    await Tenant.query()
      .where('id', tenant.id)
      .update({
        logo_data: Buffer.from('<svg onload="alert(1)"/>').toString('base64'),
        logo_mime: 'image/svg+xml',
      })
    ;(await client.get(`/brand/${tenant.slug}/logo`)).assertStatus(404)
  })

  test('HTML named logo.png and an SVG are refused with a message; nothing is stored', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createWorld()
    const html = await client
      .post('/admin/settings/logo')
      .file('logo', Buffer.from('<!doctype html><script>alert(1)</script>'), {
        filename: 'logo.png',
        contentType: 'image/png',
      })
      .withCsrfToken()
      .loginAs(owner)
      .accept('json')
    html.assertStatus(422)
    assert.include(html.body().error.message, 'PNG, JPG, WEBP')
    const svg = await client
      .post('/admin/settings/logo')
      .file('logo', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), {
        filename: 'logo.svg',
        contentType: 'image/svg+xml',
      })
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
    assert.equal(
      detectUploadType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')),
      'image/webp'
    )
    assert.equal(detectUploadType(Buffer.from('%PDF-1.7\n')), 'application/pdf')
    assert.isNull(detectUploadType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')))
    assert.isNull(detectUploadType(Buffer.from('<svg/>')))
    assert.isNull(detectUploadType(Buffer.alloc(0)))
  })
})

/** A world with a second branch: its own operator there, and an admin limited to the first branch. */
async function twoBranches() {
  const world = await createWorld()
  const second = await Branch.create({
    tenantId: world.tenant.id,
    name: 'Cabang Dua',
    slug: `dua-${world.key}`,
    timezone: 'Asia/Jakarta',
  })
  const farOperator = await User.create({
    tenantId: world.tenant.id,
    branchId: second.id,
    fullName: `Far ${world.key}`,
    email: `far-${world.key}@test.loket`,
    password: PASSWORD,
    role: 'operator',
    isActive: true,
  })
  const branchAdmin = await User.create({
    tenantId: world.tenant.id,
    branchId: world.branch.id,
    fullName: `Limited ${world.key}`,
    email: `limited-${world.key}@test.loket`,
    password: PASSWORD,
    role: 'admin',
    isActive: true,
  })
  world.operator.branchId = world.branch.id
  await world.operator.save()
  return { ...world, second, farOperator, branchAdmin }
}

const userForm = (user: User, changes: Record<string, unknown> = {}) => ({
  full_name: user.fullName,
  email: user.email,
  role: user.role,
  ...changes,
})

test.group('Security: an admin limited to a branch stays in it', () => {
  test("another branch's operator and a tenant-wide admin are out of reach: 404, and nothing changes", async ({
    client,
    assert,
  }) => {
    const { branchAdmin, farOperator, admin, branch } = await twoBranches()
    for (const target of [farOperator, admin]) {
      const before = (await User.findOrFail(target.id)).password
      ;(await client.get(`/admin/users/${target.id}/edit`).loginAs(branchAdmin)).assertStatus(404)
      const moved = await client
        .put(`/admin/users/${target.id}`)
        .form(
          userForm(target, { branch_id: branch.id, password: 'taken-over-123', is_active: '1' })
        )
        .withCsrfToken()
        .loginAs(branchAdmin)
      moved.assertStatus(404)
      const after = await User.findOrFail(target.id)
      assert.equal(after.password, before)
      assert.equal(after.branchId, target.branchId)
      assert.isFalse(await hash.verify(after.password, 'taken-over-123'))
    }
  })

  test("they manage their own branch's operator, but cannot lift anyone to every branch, another branch or a higher role", async ({
    client,
    assert,
  }) => {
    const { branchAdmin, operator, second } = await twoBranches()
    const renamed = await client
      .put(`/admin/users/${operator.id}`)
      .form(userForm(operator, { full_name: 'Renamed', is_active: '1' }))
      .withCsrfToken()
      .loginAs(branchAdmin)
    renamed.assertStatus(200)
    await operator.refresh()
    assert.equal(operator.fullName, 'Renamed')

    ;(
      await client
        .put(`/admin/users/${operator.id}`)
        .form(userForm(operator, { branch_id: second.id, is_active: '1' }))
        .withCsrfToken()
        .loginAs(branchAdmin)
        .accept('json')
    ).assertStatus(422)
    ;(
      await client
        .put(`/admin/users/${operator.id}`)
        .form(userForm(operator, { role: 'owner', is_active: '1' }))
        .withCsrfToken()
        .loginAs(branchAdmin)
    ).assertStatus(403)
    const created = await client
      .post('/admin/users')
      .form({
        full_name: 'Elsewhere',
        email: `elsewhere-${operator.id}@test.loket`,
        role: 'operator',
        password: PASSWORD,
        branch_id: second.id,
      })
      .withCsrfToken()
      .loginAs(branchAdmin)
      .accept('json')
    created.assertStatus(422)
    await operator.refresh()
    assert.equal(operator.branchId, branchAdmin.branchId)
    assert.equal(operator.role, 'operator')
    assert.isNull(await User.findBy('email', `elsewhere-${operator.id}@test.loket`))
  })

  test('a tenant-wide admin may not touch an owner, and a user limited to a branch may not be given every branch by them', async ({
    client,
    assert,
  }) => {
    const { admin, owner, operator } = await twoBranches()
    ;(
      await client
        .put(`/admin/users/${owner.id}`)
        .form(userForm(owner, { password: 'taken-over-123', is_active: '1' }))
        .withCsrfToken()
        .loginAs(admin)
    ).assertStatus(403)
    await owner.refresh()
    assert.isFalse(await hash.verify(owner.password, 'taken-over-123'))
    // Tenant-wide admins may widen an operator's reach: their own is wider still.
    await client
      .put(`/admin/users/${operator.id}`)
      .form(userForm(operator, { branch_id: '', is_active: '1' }))
      .withCsrfToken()
      .loginAs(admin)
    await operator.refresh()
    assert.isNull(operator.branchId)
  })

  test("the user list and the audit log show only their branch's staff and entries", async ({
    client,
    assert,
  }) => {
    const { branchAdmin, farOperator, admin, operator, tenant, second, branch } =
      await twoBranches()
    await AuditLog.create({
      tenantId: tenant.id,
      branchId: second.id,
      userId: admin.id,
      action: 'service.created',
      subjectType: 'service',
      subjectId: '999991',
    })
    await AuditLog.create({
      tenantId: tenant.id,
      branchId: branch.id,
      userId: admin.id,
      action: 'service.created',
      subjectType: 'service',
      subjectId: '999992',
    })

    const users = await client.get('/admin/users').loginAs(branchAdmin)
    users.assertStatus(200)
    assert.include(users.text(), operator.email)
    assert.notInclude(users.text(), farOperator.email)
    assert.notInclude(users.text(), admin.email)

    const audit = await client.get('/admin/audit').loginAs(branchAdmin)
    audit.assertStatus(200)
    assert.include(audit.text(), 'layanan #999992')
    assert.notInclude(audit.text(), 'layanan #999991')
    assert.notInclude(audit.text(), farOperator.fullName)

    const everything = await client.get('/admin/audit').loginAs(admin)
    assert.include(everything.text(), 'layanan #999991')
  })
})

/** Logs in through the form as a browser would, and returns what its session cookie carries. */
async function logIn(client: ApiClient, user: User) {
  const response = await client
    .post('/login')
    .form({ email: user.email, password: PASSWORD })
    .withCsrfToken()
    .redirects(0)
  response.assertStatus(302)
  return response.session()
}

/** Whether a session still opens a staff page (a copy of a cookie replayed later carries the same data). */
async function stillLoggedIn(client: ApiClient, session: SessionData) {
  const response = await client.get('/app/counter').withSession(session).redirects(0)
  return response.status() === 200
}

test.group('Security: sessions end when they should', () => {
  test('a session saved before logout is worth nothing after it', async ({ client, assert }) => {
    const { operator } = await createWorld()
    const saved = await logIn(client, operator)
    assert.isTrue(await stillLoggedIn(client, saved))
    ;(await client.post('/logout').withSession(saved).withCsrfToken().redirects(0)).assertStatus(
      302
    )
    assert.isFalse(await stillLoggedIn(client, saved))
  })

  test('deactivating a user or changing their password, role or branch ends their sessions, and only theirs', async ({
    client,
    assert,
  }) => {
    const { owner, operator, operator2, tenant } = await createWorld()
    const second = await Branch.create({
      tenantId: tenant.id,
      name: 'Cabang Tiga',
      slug: `tiga-${tenant.id}`,
      timezone: 'Asia/Jakarta',
    })
    const changes: Record<string, string | number>[] = [
      { password: 'a-brand-new-pass', is_active: '1' },
      { role: 'supervisor', is_active: '1' },
      { branch_id: second.id, is_active: '1' },
      {},
    ]
    for (const change of changes) {
      const member = await User.findOrFail(operator.id)
      const bystander = await logIn(client, operator2)
      const saved = await logIn(client, member)
      const form = { ...userForm(member), branch_id: member.branchId ?? '', ...change }
      ;(
        await client
          .put(`/admin/users/${member.id}`)
          .form(form)
          .withCsrfToken()
          .loginAs(owner)
          .redirects(0)
      ).assertStatus(302)
      assert.isFalse(await stillLoggedIn(client, saved), `after ${JSON.stringify(change)}`)
      assert.isTrue(await stillLoggedIn(client, bystander))
      // Back to an active operator who can log in again, for the next round.
      await User.query()
        .where('id', operator.id)
        .update({
          is_active: true,
          role: 'operator',
          branch_id: null,
          password: await hash.make(PASSWORD),
        })
    }
  })

  test('a renamed user keeps their session; an admin changing their own password keeps this one and ends the others', async ({
    client,
    assert,
  }) => {
    const { admin, operator, owner } = await createWorld()
    const saved = await logIn(client, operator)
    await client
      .put(`/admin/users/${operator.id}`)
      .form(userForm(operator, { full_name: 'Renamed Only', is_active: '1' }))
      .withCsrfToken()
      .loginAs(owner)
    assert.isTrue(await stillLoggedIn(client, saved))

    const elsewhere = await logIn(client, admin)
    const here = await logIn(client, admin)
    const changed = await client
      .put(`/admin/users/${admin.id}`)
      .form({ ...userForm(admin), password: 'my-own-new-pass', is_active: '1' })
      .withSession(here)
      .withCsrfToken()
      .redirects(0)
    changed.assertStatus(302)
    assert.isTrue(await stillLoggedIn(client, here))
    assert.isFalse(await stillLoggedIn(client, elsewhere))
  })

  test('"log out of all devices" ends every session of that user, by themselves or by their admin', async ({
    client,
    assert,
  }) => {
    const { operator, owner } = await createWorld()
    const phone = await logIn(client, operator)
    const desk = await logIn(client, operator)
    ;(
      await client.post('/logout/everywhere').withSession(desk).withCsrfToken().redirects(0)
    ).assertStatus(302)
    assert.isFalse(await stillLoggedIn(client, phone))
    assert.isFalse(await stillLoggedIn(client, desk))

    const again = await logIn(client, operator)
    ;(
      await client
        .post(`/admin/users/${operator.id}/sessions/end`)
        .withCsrfToken()
        .loginAs(owner)
        .redirects(0)
    ).assertStatus(302)
    assert.isFalse(await stillLoggedIn(client, again))
    const audit = await AuditLog.query()
      .where('action', 'user.sessions_ended')
      .where('subject_id', String(operator.id))
    assert.lengthOf(audit, 2)
  })

  test("a session whose user id was swapped for another's logs nobody in", async ({
    client,
    assert,
  }) => {
    const { operator, owner } = await createWorld()
    const saved = await logIn(client, operator)
    const forged: SessionData = {
      ...saved,
      auth_web: String(saved.auth_web).replace(/^\d+\./, `${owner.id}.`),
    }
    assert.isFalse(await stillLoggedIn(client, forged))
    assert.isFalse(await stillLoggedIn(client, { ...saved, auth_web: owner.id }))
  })
})

test.group('Security: client addresses and login limits', (group) => {
  const before = { ...rateLimits }
  group.each.teardown(() => {
    Object.assign(rateLimits, before)
  })

  test('a client cannot choose its address: with a new X-Forwarded-For each time, the 11th login from one address is refused', async ({
    client,
    assert,
  }) => {
    const { operator } = await createWorld()
    rateLimits.loginPerMinute = 10
    await refill('login', '127.0.0.1')
    const statuses: number[] = []
    for (let index = 0; index < 11; index++) {
      const response = await client
        .post('/login')
        .header('X-Forwarded-For', `203.0.113.${index + 1}`)
        .form({ email: operator.email, password: index === 10 ? PASSWORD : 'wrong-password' })
        .withCsrfToken()
        .redirects(0)
      statuses.push(response.status())
    }
    assert.deepEqual(statuses, [...Array(10).fill(302), 429])
    await refill('login', '127.0.0.1')
  })

  test('an account takes RATE_LIMIT_LOGIN_PER_ACCOUNT attempts, then even its right password waits; other accounts do not', async ({
    client,
    assert,
  }) => {
    const { operator, operator2 } = await createWorld()
    rateLimits.loginPerAccount = 3
    for (let index = 0; index < 3; index++) {
      const wrong = await client
        .post('/login')
        .form({ email: operator.email, password: 'wrong-password' })
        .withCsrfToken()
        .header('referer', '/login')
        .redirects(0)
      wrong.assertFlashMessage('error', 'Email atau kata sandi salah.')
    }
    const locked = await client
      .post('/login')
      .form({ email: operator.email, password: PASSWORD })
      .withCsrfToken()
      .header('referer', '/login')
      .redirects(0)
    assert.match(
      String(locked.flashMessages().error),
      /Terlalu banyak percobaan masuk ke akun ini\. Coba lagi dalam 15 menit\./
    )
    assert.equal(locked.header('location'), '/login')
    const other = await client
      .post('/login')
      .form({ email: operator2.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    assert.equal(other.header('location'), '/app')
  })

  test("parallel guesses cannot overdraw an account's budget", async ({ client, assert }) => {
    const { operator } = await createWorld()
    rateLimits.loginPerAccount = 3
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        client
          .post('/login')
          .form({ email: operator.email, password: 'wrong-password' })
          .withCsrfToken()
          .redirects(0)
      )
    )
    const checked = answers.filter(
      (answer) => answer.flashMessages().error === 'Email atau kata sandi salah.'
    )
    assert.lengthOf(checked, 3)
  })

  test('the audit log keeps the peer address, not the one a client claims', async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createWorld()
    await client
      .put('/admin/settings/tenant')
      .header('X-Forwarded-For', '198.51.100.7')
      .form({ tenant_name: 'Klinik Baru', brand_color: '#0f766e', locale: 'id' })
      .withCsrfToken()
      .loginAs(owner)
    const entry = await AuditLog.query()
      .where('tenant_id', tenant.id)
      .where('action', 'tenant.updated')
      .firstOrFail()
    assert.include(['127.0.0.1', '::ffff:127.0.0.1', '::1'], entry.ip ?? '')
  })

  test('TRUSTED_PROXIES: only the listed addresses and networks may pass a client address on', ({
    assert,
  }) => {
    const none = trustedProxies(undefined)
    assert.isFalse(none('127.0.0.1', 0))
    const trusted = trustedProxies('10.0.0.0/8, 192.168.1.10 loopback')
    assert.isTrue(trusted('10.20.30.40', 0))
    assert.isTrue(trusted('192.168.1.10', 0))
    assert.isTrue(trusted('127.0.0.1', 0))
    assert.isFalse(trusted('192.168.1.11', 0))
    assert.isFalse(trusted('203.0.113.9', 0))
    assert.throws(() => trustedProxies('not-an-address'))
  })
})

test.group('Security: Redis down', (group) => {
  const before = { ...rateLimits }
  group.each.teardown(() => {
    Object.assign(rateLimits, before)
  })

  if (redisEnabled) {
    test('numbers are taken and screens answer at once, limits count in memory, /healthz says degraded until Redis is back', async ({
      client,
      assert,
    }) => {
      const { branch, services, display } = await createWorld()
      const link = new RedisLink()
      await link.up()
      const restore = await routeMainRedisThrough(link)
      try {
        assert.isTrue(await eventually(async () => redisReady()))
        ;(
          await client
            .post(`/b/${branch.slug}/tickets`)
            .json({ service_id: services[0].id })
            .withCsrfToken()
            .accept('json')
        ).assertStatus(200)

        await link.down()
        rateLimits.takePerMinute = 6
        const times: number[] = []
        const statuses: number[] = []
        for (let index = 0; index < 7; index++) {
          const started = performance.now()
          const response = await client
            .post(`/b/${branch.slug}/tickets`)
            .json({ service_id: services[0].id })
            .withCsrfToken()
            .accept('json')
          times.push(performance.now() - started)
          statuses.push(response.status())
        }
        assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429])
        assert.isBelow(
          Math.max(...times),
          1000,
          `takes took ${times.map(Math.round).join(', ')} ms`
        )

        const board = await client.get(`/display/${display.token}/live?v=1`)
        board.assertStatus(200)
        assert.include(board.text(), 'id="board"')
        const health = await client.get('/healthz')
        health.assertStatus(200)
        assert.equal(health.body().status, 'degraded')
        assert.isFalse(health.body().checks.redis.ok)

        await link.up()
        assert.isTrue(await eventually(async () => redisReady()))
        assert.equal((await client.get('/healthz')).body().status, 'ok')
      } finally {
        await restore()
        await link.down().catch(() => {})
      }
    }).timeout(30_000)
  }

  test('/healthz is ok while everything answers; its checks are for operators only when a token is set', async ({
    client,
    assert,
    cleanup,
  }) => {
    const health = await client.get('/healthz')
    health.assertStatus(200)
    assert.equal(health.body().status, 'ok')
    assert.property(health.body(), 'checks')

    const previous = env.get('METRICS_TOKEN')
    env.set('METRICS_TOKEN', 'ops-token-123')
    cleanup(() => env.set('METRICS_TOKEN', previous ?? ''))
    const anonymous = await client.get('/healthz')
    assert.deepEqual(anonymous.body(), { ok: true, status: 'ok' })
    const operator = await client.get('/healthz').header('authorization', 'Bearer ops-token-123')
    assert.property(operator.body(), 'checks')
    ;(await client.get('/metrics')).assertStatus(401)
    ;(await client.get('/metrics').header('authorization', 'Bearer ops-token-123')).assertStatus(
      200
    )
  })

  test('in production, /metrics and the checks of /healthz stay closed until METRICS_TOKEN is set', ({
    assert,
  }) => {
    assert.isFalse(operatorAccess(undefined, { token: undefined, production: true }))
    assert.isFalse(operatorAccess('Bearer anything', { token: undefined, production: true }))
    assert.isTrue(operatorAccess(undefined, { token: undefined, production: false }))
    assert.isFalse(operatorAccess('Bearer wrong', { token: 'right', production: false }))
    assert.isTrue(operatorAccess('Bearer right', { token: 'right', production: true }))
  })
})

/** What the session would weigh as the encrypted cookie that carries it in production (the cookie store). */
function cookieBytes(session: SessionData) {
  return `loket-session=e:${encryption.encrypt(session)}`.length
}

test.group('Security: odd ids in paths', () => {
  test("on every route, an id that is no whole number (or UUID) is the router's 404: no login page, no handler", async ({
    client,
    assert,
  }) => {
    const idParams = new Set(RECORD_ID_PARAMS)
    const cases = router
      .toJSON()
      .root.flatMap((route) =>
        [...route.pattern.matchAll(/:(\w+)/g)]
          .filter(([, param]) => idParams.has(param))
          .map(([, param]) => ({ route, param }))
      )
    assert.isAbove(cases.length, 120)
    const pastTheRouter: string[] = []
    for (const { route, param } of cases) {
      const method = route.methods[0] as 'GET'
      await Promise.all(
        ['Infinity', '1e400', 'NaN', '-1', '1.5', 'abc'].map(async (odd) => {
          // The other params get a value their route takes (a ticket action, an id, a slug).
          const path = route.pattern.replace(/:(\w+)/g, (_, name) =>
            name === param ? odd : name === 'action' ? 'call' : '1'
          )
          const response = await client
            .request(path, method)
            .header('accept', 'application/json')
            .withCsrfToken()
          if (response.status() !== 404)
            pastTheRouter.push(`${method} ${path}: ${response.status()}`)
        })
      )
    }
    assert.deepEqual(pastTheRouter, [])
  })
})

test.group('Security: what a form sends back stays small', () => {
  test('a 4 KB field refused on the visitor, booking and login forms, by a stale CSRF token or a login that ran out, leaves a session that fits a 4 KB cookie', async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const long = 'x'.repeat(4096)
    const answers = [
      await client
        .post(`/b/${world.branch.slug}/tickets`)
        .form({ service_id: world.service.id, phone: long })
        .withCsrfToken()
        .redirects(0),
      await client
        .post(`/book/${world.branch.slug}`)
        .form({
          service_id: world.service.id,
          date: tomorrow(),
          time: '10:00',
          name: long,
          phone: long,
          note: long,
        })
        .withCsrfToken()
        .redirects(0),
      await client
        .post('/login')
        .form({ email: long, password: long })
        .withCsrfToken()
        .redirects(0),
      // shield, before the form is read: a form left open past its session has no valid token
      await client
        .post(`/book/${world.branch.slug}`)
        .form({ service_id: world.service.id, name: long })
        .redirects(0),
      // auth, before the form is read: a staff form posted once the login has run out
      await client
        .post('/admin/services')
        .form({ name: long, password: 'typed-secret' })
        .withCsrfToken()
        .redirects(0),
    ]
    for (const answer of answers) {
      assert.oneOf(answer.status(), [302, 303])
      const session = { ...answer.session(), __flash__: answer.flashMessages() }
      assert.isBelow(cookieBytes(session), 4096)
      assert.notInclude(JSON.stringify(session), long)
      assert.notProperty(answer.flashMessages(), 'password')
    }
    // What was typed comes back but for the fields too long to keep whole, which come back empty.
    assert.equal(answers[1].flashMessages().time, '10:00')
    assert.notProperty(answers[1].flashMessages(), 'name')
    assert.equal(answers[3].flashMessages().service_id, String(world.service.id))
  })

  test("a form body of 900 KB is refused with 413 before any work, in the visitor's language", async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const huge = await client
      .post(`/b/${world.branch.slug}/tickets`)
      .form({ service_id: world.service.id, phone: 'x'.repeat(900 * 1024) })
      .withCsrfToken()
      .redirects(0)
    huge.assertStatus(413)
    assert.include(huge.text(), 'Isian terlalu besar')
    assert.notInclude(String(huge.header('set-cookie') ?? ''), 'x'.repeat(100))
  })

  test("a body whose Content-Encoding does not match it answers 400 in the user's language, an unknown one 415, a gzip bomb 413; nothing is taken", async ({
    client,
    assert,
  }) => {
    const world = await createBookingWorld()
    const form = await client
      .post(`/b/${world.branch.slug}/tickets`)
      .header('content-encoding', 'gzip')
      .form({ service_id: world.service.id })
      .withCsrfToken()
      .redirects(0)
    form.assertStatus(400)
    assert.include(form.text(), 'tidak dapat dibaca')
    const api = await client
      .post('/api/v1/tickets')
      .header('content-encoding', 'gzip')
      .json({ service_id: world.service.id })
    api.assertStatus(400)
    assert.equal(api.body().error.code, 'E_UNREADABLE_BODY')
    const unknown = await client
      .post('/api/v1/tickets')
      .header('content-encoding', 'compress')
      .json({ service_id: world.service.id })
    unknown.assertStatus(415)
    assert.include(unknown.body().error.message, 'tidak dibaca Loket')

    // 5 MB once inflated, 5 KB on the wire: refused as it grows past the form's limit.
    const bomb = gzipSync(`service_id=${world.service.id}&phone=${'0'.repeat(5 * 1024 * 1024)}`)
    const exploded = await fetch(`${baseUrl}/b/${world.branch.slug}/tickets`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-encoding': 'gzip',
      },
      body: bomb,
      redirect: 'manual',
    })
    assert.equal(exploded.status, 413)
    const [taken] = await Ticket.query().where('branch_id', world.branch.id).count('* as total')
    assert.equal(Number(taken.$extras.total), 0)
  })

  test('flashInput keeps a form within its budget, shortest first: secrets out, nothing cut', ({
    assert,
  }) => {
    const kept = flashInput({
      note: 'n'.repeat(5000),
      name: 'Sari',
      password: 'secret-pass',
      server_key: 'SB-Mid-server-X',
      about: 'a'.repeat(900),
      han: '字'.repeat(900),
      days: Array.from({ length: 500 }, (_, index) => ({ weekday: index, opens_at: '08:00' })),
      lines: [{ description: 'Servis AC', quantity: '2' }, { description: 'd'.repeat(2000) }],
      ...Object.fromEntries(
        Array.from({ length: 20 }, (_, index) => [`field_${index}`, 'v'.repeat(40)])
      ),
    })
    assert.equal(kept.name, 'Sari')
    assert.notProperty(kept, 'password')
    assert.notProperty(kept, 'server_key')
    // Too long to keep whole: left out, not cut.
    assert.notProperty(kept, 'note')
    assert.notProperty(kept, 'days')
    assert.deepEqual(kept.lines, [{ description: 'Servis AC', quantity: '2' }, {}])
    // Shortest first: the short fields take the budget, and 900 characters no longer fit (nor the
    // 2,700 bytes of 900 字).
    assert.equal(kept.field_19, 'v'.repeat(40))
    assert.notProperty(kept, 'about')
    assert.notProperty(kept, 'han')
    assert.isBelow(Buffer.byteLength(JSON.stringify(kept)), 1600)
    // Alone, a long note that fits comes back whole.
    assert.equal(flashInput({ notes: 'a'.repeat(900) }).notes, 'a'.repeat(900))
  })
})

test.group('Security: headers on every answer', () => {
  test('pages, screens, polls, health, metrics, files, JSON and errors all carry the policy headers; none allows eval', async ({
    client,
    assert,
  }) => {
    const { display, branch } = await createWorld()
    const paths = [
      '/',
      `/b/${branch.slug}`,
      `/display/${display.token}`,
      `/display/${display.token}/live?v=1`,
      '/healthz',
      '/livez',
      '/metrics',
      '/css/app.css',
      '/api/v1/queues',
      '/no-such-page',
      '/login',
    ]
    for (const path of paths) {
      const response = await client.get(path).redirects(0)
      const csp = String(response.header('content-security-policy'))
      assert.include(csp, "frame-ancestors 'none'", path)
      assert.include(csp, "script-src 'self'", path)
      assert.notInclude(csp, 'unsafe-eval', path)
      assert.equal(response.header('x-frame-options'), 'DENY', path)
      assert.equal(response.header('x-content-type-options'), 'nosniff', path)
      assert.equal(response.header('referrer-policy'), 'same-origin', path)
      assert.include(String(response.header('permissions-policy')), 'camera=()', path)
    }
  })

  test('htmx runs with eval off; no template has an inline script or an inline event handler', async ({
    client,
    assert,
  }) => {
    const page = await client.get('/login')
    assert.include(page.text(), '"allowEval":false')
    const views = await readdirRecursive(app.viewsPath())
    for (const file of views.filter((name) => name.endsWith('.edge'))) {
      const source = await readFile(file, 'utf8')
      assert.notMatch(source, /<script(?![^>]*\bsrc=)[^>]*>/, `${file} has an inline script`)
      assert.notMatch(source, /\son[a-z]+="/, `${file} has an inline event handler`)
      assert.notMatch(
        source,
        /hx-trigger="[^"]*\[/,
        `${file} has an htmx trigger filter (needs eval)`
      )
    }
  })
})

async function readdirRecursive(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true })
  const files = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? readdirRecursive(join(directory, entry.name))
        : [join(directory, entry.name)]
    )
  )
  return files.flat()
}
