import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import Outlet from '#models/outlet'
import OutletSyncRun from '#models/outlet_sync_run'
import PosSource from '#models/pos_source'
import Renewal from '#models/renewal'
import PosSync from '#services/renewals/pos_sync'
import RenewalService from '#services/renewals/renewal_service'
import { pullOutlets, PosUnavailable } from '#services/renewals/pos_adapter'
import { DEFAULT_POS_MAPPING } from '#models/pos_source'
import { FakePos } from '#tests/fakes/pos_server'
import { rejection } from '#tests/helpers/errors'
import {
  createRenewalWorld,
  jakartaDay,
  makeOutlet,
  posPush,
  type RenewalWorld,
} from '#tests/helpers/renewals'

const pos = new FakePos()
const posSync = await app.container.make(PosSync)
const renewals = await app.container.make(RenewalService)

function endpoint(overrides: Partial<Parameters<typeof pullOutlets>[0]> = {}) {
  return {
    url: `${pos.url}/api/outlets`,
    authHeader: 'X-Api-Key',
    authValue: pos.apiKey,
    mapping: { ...DEFAULT_POS_MAPPING, ...FakePos.mapping },
    pageParam: 'page',
    timeoutMs: 5_000,
    ...overrides,
  }
}

/** Points the world's POS source at the fake POS, enabled, with its API key and mapping. */
async function connectPos(world: RenewalWorld, timeoutSeconds = 5) {
  const source = await PosSource.findByOrFail('tenant_id', world.tenant.id)
  source.merge({
    endpointUrl: `${pos.url}/api/outlets`,
    authHeader: 'X-Api-Key',
    secrets: { ...source.secrets, auth_value: pos.apiKey },
    mapping: FakePos.mapping,
    timeoutSeconds,
    isEnabled: true,
  })
  await source.save()
  return source
}

test.group('POS adapter against a local POS', (group) => {
  group.setup(async () => {
    await pos.start()
    return () => pos.stop()
  })
  group.each.setup(() => pos.reset())

  test('reads every page with the auth header and maps nested fields by dot paths', async ({
    assert,
  }) => {
    pos.outlets = FakePos.outlets(120)
    const pulled = await pullOutlets(endpoint())
    assert.equal(pulled.pages, 3)
    assert.lengthOf(pulled.rows, 120)
    assert.lengthOf(pulled.errors, 0)
    assert.deepEqual(
      pos.requests.map((request) => new URL(request.path, 'http://x').searchParams.get('page')),
      ['1', '2', '3']
    )
    assert.isTrue(pos.requests.every((request) => request.headers['x-api-key'] === pos.apiKey))
    assert.deepEqual(pulled.rows[0], {
      row: 1,
      fields: {
        fid: 'F1',
        oid: 'O1',
        name: 'Outlet 1',
        address: 'Jl. Contoh 1',
        phone: '081270000000',
        expires_on: '2027-01-31',
        status: 'aktif',
      },
    })
    assert.equal(pulled.rows[119].row, 120)
  })

  test('without a last page number it reads until an empty page', async ({ assert }) => {
    pos.outlets = FakePos.outlets(100)
    pos.sendsLastPage = false
    const pulled = await pullOutlets(endpoint())
    assert.lengthOf(pulled.rows, 100)
    assert.equal(pos.requests.length, 3)
    assert.equal(pulled.pages, 3)
  })

  test('a page that never answers ends the pull at the timeout, with the pages before it', async ({
    assert,
  }) => {
    pos.outlets = FakePos.outlets(150)
    pos.slowPage = 2
    const started = Date.now()
    const error = (await rejection(pullOutlets(endpoint({ timeoutMs: 400 })))) as PosUnavailable
    assert.instanceOf(error, PosUnavailable)
    assert.equal(error.key, 'timeout')
    assert.equal(error.params.page, 2)
    assert.lengthOf(error.partial.rows, 50)
    assert.isBelow(Date.now() - started, 3_000)
  })

  test('an HTTP error, a wrong key and a page that is not a list stop the pull', async ({
    assert,
  }) => {
    pos.outlets = FakePos.outlets(10)
    pos.failingPage = 1
    const failing = (await rejection(pullOutlets(endpoint()))) as PosUnavailable
    assert.equal(failing.key, 'http_status')
    assert.equal(failing.params.status, 503)
    pos.failingPage = null
    const unauthorized = (await rejection(
      pullOutlets(endpoint({ authValue: 'wrong' }))
    )) as PosUnavailable
    assert.equal(unauthorized.params.status, 401)
    const notList = (await rejection(
      pullOutlets(endpoint({ mapping: { ...endpoint().mapping, items: 'meta' } }))
    )) as PosUnavailable
    assert.equal(notList.key, 'not_a_list')
  })
})

test.group('POS sync: outlets upserted, sync log', (group) => {
  group.setup(async () => {
    await pos.start()
    return () => pos.stop()
  })
  group.each.setup(() => pos.reset())

  test('bad rows are reported with their place and skipped; good rows are upserted in batches', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    await connectPos(world)
    const good = FakePos.outlets(30)
    pos.outlets = [
      ...good.slice(0, 10),
      'not an object',
      { ...good[10], outlet: { ...good[10].outlet, name: { first: 'x' } } },
      { ...good[11], contact: { phone: '12' } },
      { ...good[12], outlet: { code: '', name: 'No oid' } },
      { ...good[13], subscription: { expires_at: '31/02/2027' } },
      ...good.slice(14),
    ]
    pos.perPage = 7
    const run = await posSync.pull(world.tenant, { user: world.owner })
    assert.equal(run.status, 'partial')
    assert.equal(run.source, 'pos')
    assert.equal(run.pagesCount, 5)
    assert.equal(run.rowsCount, 31)
    assert.equal(run.createdCount, 26)
    assert.equal(run.errorCount, 5)
    assert.deepEqual(
      run.errors!.map((error) => error.row),
      [11, 12, 13, 14, 15]
    )
    assert.match(run.errors![2].message, /12/)
    assert.equal(run.errors![2].fid, 'F2')
    assert.lengthOf(await Outlet.forTenant(world.tenant), 26)
    const first = await Outlet.forTenant(world.tenant).where('oid', 'O1').firstOrFail()
    assert.equal(first.phone, '+6281270000000')
    assert.equal(first.expiresOn, '2027-01-31')
    assert.equal(first.status, 'active')
    const stored = await OutletSyncRun.findOrFail(run.id)
    assert.equal(stored.userId, world.owner.id)
    assert.isNotNull(stored.finishedAt)
    assert.isNotNull(
      await AuditLog.query()
        .where('tenant_id', world.tenant.id)
        .where('action', 'outlet.synced')
        .first()
    )
  })

  test('a second sync reports updated, unchanged and expired outlets', async ({ assert }) => {
    const world = await createRenewalWorld()
    await connectPos(world)
    pos.outlets = FakePos.outlets(20)
    await posSync.pull(world.tenant)
    const outlets = pos.outlets as ReturnType<typeof FakePos.outlets>
    outlets[0].outlet.name = 'Renamed'
    outlets[1].subscription = { expires_at: '2020-01-31', state: 'aktif' }
    outlets.push(...FakePos.outlets(1, { prefix: 'N' }))
    const run = await posSync.pull(world.tenant)
    assert.equal(run.status, 'succeeded')
    assert.equal(run.createdCount, 1)
    assert.equal(run.updatedCount, 2)
    assert.equal(run.unchangedCount, 18)
    assert.equal(run.expiredCount, 1)
    assert.equal(
      (await Outlet.forTenant(world.tenant).where('oid', 'O1').where('fid', 'F1').firstOrFail())
        .name,
      'Renamed'
    )
  })

  test('a timeout fails the run with its reason; the pages read before are applied', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    await connectPos(world, 1)
    pos.outlets = FakePos.outlets(120)
    pos.slowPage = 2
    const run = await posSync.pull(world.tenant)
    assert.equal(run.status, 'failed')
    assert.match(run.message!, /2/)
    assert.equal(run.createdCount, 50)
    assert.lengthOf(await Outlet.forTenant(world.tenant), 50)
  })

  test('a tenant without an endpoint gets a failed run saying so', async ({ assert }) => {
    const world = await createRenewalWorld()
    const run = await posSync.pull(world.tenant)
    assert.equal(run.status, 'failed')
    assert.equal(run.message, 'Belum ada URL endpoint POS')
  })

  test('the daily sync pulls every enabled source, and a later expiry date closes the renewal as renewed', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    await connectPos(world)
    const expiry = jakartaDay(10)
    pos.outlets = FakePos.outlets(3, { expiresOn: expiry })
    // Only this world's source is pulled (earlier tests' sources point at stopped servers).
    await PosSource.query().whereNot('tenant_id', world.tenant.id).update({ is_enabled: false })
    await posSync.syncAll()
    assert.lengthOf(await Outlet.forTenant(world.tenant), 3)
    await renewals.computeDue(world.tenant.id)
    assert.lengthOf(await Renewal.forTenant(world.tenant), 3)
    ;(pos.outlets as any[])[0].subscription.expires_at = jakartaDay(375)
    await posSync.syncAll()
    const { closed } = await renewals.computeDue(world.tenant.id)
    assert.equal(closed, 1)
    const renewed = await Renewal.forTenant(world.tenant).where('oid', 'O1').firstOrFail()
    assert.equal(renewed.status, 'renewed')
    assert.isNull(renewed.nextStep)
  })

  test('the CSV import is the fallback and writes a run of the sync log', async ({
    client,
    assert,
  }) => {
    const world = await createRenewalWorld()
    const response = await client
      .post('/app/renewals/sync/csv')
      .file('file', Buffer.from('fid,oid,name,expires_on\nF1,O1,Satu,2027-01-31\nF1,,Dua,\n'), {
        filename: 'outlets.csv',
        contentType: 'text/csv',
      })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.admin)
    assert.equal(response.status(), 200)
    const run = await OutletSyncRun.forTenant(world.tenant).firstOrFail()
    assert.equal(run.source, 'csv')
    assert.equal(run.status, 'partial')
    assert.equal(run.createdCount, 1)
    assert.equal(run.errorCount, 1)
    assert.equal(run.errors![0].row, 3)
  })
})

test.group('POS sync: pages and roles', (group) => {
  group.setup(async () => {
    await pos.start()
    return () => pos.stop()
  })
  group.each.setup(() => pos.reset())

  test('managers open settings and sync; the renewal team reads the sync log only; agents nothing', async ({
    client,
    assert,
  }) => {
    const world = await createRenewalWorld()
    await connectPos(world)
    pos.outlets = FakePos.outlets(5)
    for (const user of [world.owner, world.admin, world.supervisor]) {
      assert.equal((await client.get('/app/renewals/settings').loginAs(user)).status(), 200)
      assert.equal((await client.get('/app/renewals/sync-log').loginAs(user)).status(), 200)
    }
    const sync = await client
      .post('/app/renewals/sync')
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.supervisor)
    assert.equal(sync.status(), 302)
    assert.equal(sync.header('location'), '/app/renewals/sync-log')
    const log = await client.get('/app/renewals/sync-log').loginAs(world.renewal)
    assert.equal(log.status(), 200)
    assert.include(log.text(), 'data-source="pos"')
    assert.notInclude(log.text(), 'translation missing')
    assert.notInclude(log.text(), 'action="/app/renewals/sync"')

    const writes = () => ({
      settings: client.get('/app/renewals/settings'),
      source: client.put('/app/renewals/settings/source').form({ timeout_seconds: 5 }),
      cadence: client.put('/app/renewals/settings/cadence').form({ cadence: '-7' }),
      secret: client.post('/app/renewals/settings/secret'),
      sync: client.post('/app/renewals/sync'),
      csv: client.post('/app/renewals/sync/csv'),
    })
    for (const user of [world.renewal, world.rina, world.operator])
      for (const [name, request] of Object.entries(writes()))
        assert.equal(
          (await request.redirects(0).withCsrfToken().loginAs(user)).status(),
          403,
          `${user.role} ${name}`
        )
    for (const user of [world.rina, world.operator])
      assert.equal((await client.get('/app/renewals/sync-log').loginAs(user)).status(), 403)
    assert.equal(
      await OutletSyncRun.forTenant(world.tenant)
        .count('* as n')
        .then((r) => Number(r[0].$extras.n)),
      1
    )
  })

  test('the source form keeps the auth value encrypted; the webhook secret is shown once', async ({
    client,
    assert,
  }) => {
    const world = await createRenewalWorld()
    const saved = await client
      .put('/app/renewals/settings/source')
      .form({
        endpoint_url: `${pos.url}/api/outlets`,
        auth_header: 'X-Api-Key',
        auth_value: 'very-secret-key',
        page_param: 'halaman',
        timeout_seconds: 7,
        is_enabled: '1',
        map_fid: 'franchise_id',
        map_oid: 'outlet.code',
        map_name: 'outlet.name',
        map_items: 'data',
      })
      .redirects(0)
      .withCsrfToken()
      .loginAs(world.owner)
    assert.equal(saved.status(), 302)
    const source = await PosSource.findByOrFail('tenant_id', world.tenant.id)
    assert.equal(source.secrets.auth_value, 'very-secret-key')
    assert.equal(source.fields.oid, 'outlet.code')
    assert.equal(source.fields.phone, '')
    assert.equal(source.pageParam, 'halaman')
    assert.isTrue(source.isEnabled)
    const raw = await db.from('pos_sources').where('id', source.id).first()
    assert.notInclude(raw.secrets, 'very-secret-key')
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'tenant.pos_source_updated')
      .firstOrFail()
    assert.notInclude(JSON.stringify(audit.changes), 'very-secret-key')

    const page = await client.get('/app/renewals/settings').loginAs(world.owner)
    assert.notInclude(page.text(), 'very-secret-key')
    assert.notInclude(page.text(), world.posSecret)

    const made = await client
      .post('/app/renewals/settings/secret')
      .withCsrfToken()
      .loginAs(world.owner)
    assert.equal(made.status(), 200)
    const secret = (await PosSource.findOrFail(source.id)).secrets.webhook_secret!
    assert.notEqual(secret, world.posSecret)
    assert.include(made.text(), secret)
    assert.notInclude(
      (await client.get('/app/renewals/settings').loginAs(world.owner)).text(),
      secret
    )
    // The old secret stops working, the new one works.
    assert.equal((await posPush(world, world.posSecret, { event: 'x' })).status, 401)
    assert.equal((await posPush(world, secret, { event: 'x' })).status, 422)
  })

  test('a bad source form is refused with 422 and changes nothing', async ({ client, assert }) => {
    const world = await createRenewalWorld()
    const response = await client
      .put('/app/renewals/settings/source')
      .form({ endpoint_url: 'ftp://nope', timeout_seconds: 500, map_fid: 'a b' })
      .header('accept', 'application/json')
      .withCsrfToken()
      .loginAs(world.owner)
    assert.equal(response.status(), 422)
    assert.isNull((await PosSource.findByOrFail('tenant_id', world.tenant.id)).endpointUrl)
  })
})

test.group('POS webhook', () => {
  test('a bad or missing signature is refused with 401 and changes nothing', async ({ assert }) => {
    const world = await createRenewalWorld()
    const payload = {
      event: 'outlet.updated',
      data: { fid: 'F1', oid: 'O1', name: 'Baru', expires_on: '2027-01-01' },
    }
    assert.equal((await posPush(world, 'wrong-secret', payload)).status, 401)
    assert.equal(
      (await posPush(world, world.posSecret, payload, { signature: 'sha256=00' })).status,
      401
    )
    assert.equal((await posPush(world, world.posSecret, payload, { signature: '' })).status, 401)
    assert.lengthOf(await Outlet.forTenant(world.tenant), 0)
    const unknown = await posPush({ tenant: { slug: 'no-such-tenant' } }, world.posSecret, payload)
    assert.equal(unknown.status, 404)
  })

  test('outlet.updated upserts one outlet through the mapping and logs a webhook run', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    const response = await posPush(world, world.posSecret, {
      event: 'outlet.updated',
      data: {
        fid: 'F1',
        oid: 'O1',
        name: 'Kopi Baru',
        phone: '0812 1111 2222',
        expires_on: '2027-03-31',
      },
    })
    assert.equal(response.status, 200)
    const outlet = await Outlet.forTenant(world.tenant).firstOrFail()
    assert.equal(outlet.phone, '+6281211112222')
    assert.equal(outlet.expiresOn, '2027-03-31')
    const run = await OutletSyncRun.forTenant(world.tenant).firstOrFail()
    assert.equal(run.source, 'webhook')
    assert.equal(run.createdCount, 1)
    const bad = await posPush(world, world.posSecret, {
      event: 'outlet.updated',
      data: { fid: 'F1', oid: 'O2', name: 'X', expires_on: 'soon' },
    })
    assert.equal(bad.status, 422)
    assert.lengthOf(await Outlet.forTenant(world.tenant), 1)
    assert.equal((await posPush(world, world.posSecret, { event: 'outlet.deleted' })).status, 422)
  })

  test('payment.received renews before the expiry date and recovers after it', async ({
    assert,
  }) => {
    const world = await createRenewalWorld()
    const onTime = await makeOutlet(world, jakartaDay(5))
    const late = await makeOutlet(world, jakartaDay(-2))
    await renewals.computeDue(world.tenant.id)
    assert.lengthOf(await Renewal.forTenant(world.tenant), 2)

    const first = await posPush(world, world.posSecret, {
      event: 'payment.received',
      data: { fid: onTime.fid, oid: onTime.oid, paid_until: jakartaDay(370) },
    })
    assert.equal(first.status, 200)
    const answer = (await first.json()) as any
    assert.equal(answer.renewals[0].status, 'renewed')
    const second = await posPush(world, world.posSecret, {
      event: 'payment.received',
      data: { fid: late.fid, oid: late.oid, paid_until: jakartaDay(363) },
    })
    assert.equal(second.status, 200)

    const renewed = await Renewal.forTenant(world.tenant)
      .where('outlet_id', onTime.id)
      .firstOrFail()
    assert.equal(renewed.status, 'renewed')
    assert.equal(renewed.paidUntil, jakartaDay(370))
    assert.isNull(renewed.nextStep)
    const recovered = await Renewal.forTenant(world.tenant)
      .where('outlet_id', late.id)
      .firstOrFail()
    assert.equal(recovered.status, 'recovered')
    assert.equal((await Outlet.findOrFail(onTime.id)).expiresOn, jakartaDay(370))

    const unknown = await posPush(world, world.posSecret, {
      event: 'payment.received',
      data: { fid: 'NOPE', oid: 'X', paid_until: '2027-01-01' },
    })
    assert.equal(unknown.status, 422)
    const invalid = await posPush(world, world.posSecret, {
      event: 'payment.received',
      data: { fid: onTime.fid, oid: onTime.oid, paid_until: '2027-02-30' },
    })
    assert.equal(invalid.status, 422)
  })
})
