import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import Contact from '#models/contact'
import ContactOutlet from '#models/contact_outlet'
import Outlet from '#models/outlet'
import User from '#models/user'
import UserScope from '#models/user_scope'
import DomainError from '#exceptions/domain_error'
import OutletDirectory from '#services/inbox/outlet_directory'
import UserScopes, { applyScope, type Scope } from '#services/inbox/user_scopes'
import { toSqlDateTime } from '#models/columns'
import clock from '#support/clock'
import { createWorld, PASSWORD, type World } from '#tests/helpers/world'
import { rejection } from '#tests/helpers/errors'

const directory = await app.container.make(OutletDirectory)
const userScopes = await app.container.make(UserScopes)

/** A phone number no other test uses (+62 813 xxxx xxxx). */
function freshPhone() {
  return `+62813${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
}

function outlet(world: World, fid: string, oid: string, phone: string | null = null) {
  return Outlet.create({
    tenantId: world.tenant.id,
    fid,
    oid,
    name: `Outlet ${fid}/${oid}`,
    phone,
    status: 'active',
  })
}

function contact(world: World, phone = freshPhone()) {
  return Contact.create({ tenantId: world.tenant.id, phone, displayName: 'Pak Budi' })
}

/** `resolve` in a transaction of its own, as the inbox calls it while storing a message. */
function resolveIn(world: World, who: Contact, hold = 0) {
  return db.transaction(async (trx) => {
    const resolution = await directory.resolve(trx, world.tenant.id, who)
    // Keep the transaction (and the link it inserted) open, so that a racing one overlaps it.
    if (hold) await new Promise((resolve) => setTimeout(resolve, hold))
    return resolution
  })
}

const ids = (outlets: Outlet[]) => outlets.map((item) => `${item.fid}/${item.oid}`)

test.group('Outlets: resolving a contact', () => {
  test('a phone that matches exactly one outlet links itself (source phone) and stays linked', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const phone = freshPhone()
    const shop = await outlet(world, 'F1', 'O1', phone)
    await outlet(world, 'F1', 'O2', freshPhone())
    const writer = await contact(world, phone)

    const first = await resolveIn(world, writer)
    assert.equal(first.state, 'linked')
    assert.deepEqual(ids(first.linked), ['F1/O1'])
    assert.deepEqual(first.candidates, [])
    const links = await ContactOutlet.forTenant(world.tenant).where('contact_id', writer.id)
    assert.lengthOf(links, 1)
    assert.deepInclude(links[0].$attributes, { outletId: shop.id, source: 'phone', linkedBy: null })

    // The outlet's phone changes: the remembered link still wins.
    shop.phone = freshPhone()
    await shop.save()
    const again = await resolveIn(world, writer)
    assert.equal(again.state, 'linked')
    assert.deepEqual(ids(again.linked), ['F1/O1'])
  })

  test('a phone on several outlets asks the agent to choose, and links nothing', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const phone = freshPhone()
    await outlet(world, 'F2', 'O9', phone)
    await outlet(world, 'F1', 'O3', phone)
    await outlet(world, 'F1', 'O1', freshPhone())
    const writer = await contact(world, phone)

    const resolution = await resolveIn(world, writer)
    assert.equal(resolution.state, 'choose')
    assert.deepEqual(resolution.linked, [])
    assert.deepEqual(ids(resolution.candidates), ['F1/O3', 'F2/O9'])
    assert.lengthOf(await ContactOutlet.forTenant(world.tenant), 0)
  })

  test('no outlet with the phone leaves the contact unknown; another tenant’s outlet never matches', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const other = await createWorld({ services: 0, counters: 0 })
    const phone = freshPhone()
    await outlet(other, 'F1', 'O1', phone)
    const writer = await contact(world, phone)

    const resolution = await resolveIn(world, writer)
    assert.deepEqual(resolution, { linked: [], candidates: [], state: 'unknown' })
    assert.lengthOf(await ContactOutlet.query().where('contact_id', writer.id), 0)
  })

  test('the outlet an agent picked is remembered and wins over a phone match', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const phone = freshPhone()
    const a = await outlet(world, 'F1', 'O1', phone)
    const b = await outlet(world, 'F1', 'O2', phone)
    const writer = await contact(world, phone)
    assert.equal((await resolveIn(world, writer)).state, 'choose')

    const picked = await directory.link(world.tenant.id, writer.id, b.id, world.admin)
    assert.isTrue(picked.created)
    assert.deepInclude(picked.link.$attributes, { source: 'agent', linkedBy: world.admin.id })
    const resolution = await resolveIn(world, writer)
    assert.equal(resolution.state, 'linked')
    assert.deepEqual(ids(resolution.linked), ['F1/O2'])
    assert.notInclude(ids(resolution.linked), `${a.fid}/${a.oid}`)

    // Picking it again changes nothing and records nothing more.
    assert.isFalse((await directory.link(world.tenant.id, writer.id, b.id, world.admin)).created)
    const audits = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'outlet.linked')
    assert.lengthOf(audits, 1)
    assert.equal(audits[0].subjectId, String(b.id))
  })

  test('two deliveries racing to link the same contact both succeed, with one link', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const phone = freshPhone()
    const shop = await outlet(world, 'F7', 'O7', phone)
    const writer = await contact(world, phone)

    const results = await Promise.all([resolveIn(world, writer, 80), resolveIn(world, writer, 80)])
    for (const result of results) {
      assert.equal(result.state, 'linked')
      assert.deepEqual(
        result.linked.map((item) => item.id),
        [shop.id]
      )
    }
    assert.lengthOf(await ContactOutlet.forTenant(world.tenant).where('contact_id', writer.id), 1)
  })

  test('an agent linking while a message links by phone: neither fails', async ({ assert }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const phone = freshPhone()
    const shop = await outlet(world, 'F8', 'O8', phone)
    const writer = await contact(world, phone)

    const [resolved, linked] = await Promise.all([
      resolveIn(world, writer, 50),
      directory.link(world.tenant.id, writer.id, shop.id, world.admin),
    ])
    assert.equal(resolved.state, 'linked')
    assert.equal(linked.link.outletId, shop.id)
    assert.lengthOf(await ContactOutlet.forTenant(world.tenant).where('contact_id', writer.id), 1)
  })

  test("linking or unlinking another tenant's contact or outlet answers 404; unlinking is audited", async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const other = await createWorld({ services: 0, counters: 0 })
    const mine = await outlet(world, 'F1', 'O1')
    const theirs = await outlet(other, 'F1', 'O1')
    const writer = await contact(world)
    const stranger = await contact(other)

    for (const attempt of [
      () => directory.link(world.tenant.id, writer.id, theirs.id, world.admin),
      () => directory.link(world.tenant.id, stranger.id, mine.id, world.admin),
      () => directory.unlink(world.tenant.id, writer.id, mine.id, world.admin),
    ]) {
      const error = await rejection(attempt())
      assert.equal((error as { status?: number } | null)?.status, 404)
    }

    await directory.link(world.tenant.id, writer.id, mine.id, world.admin)
    await directory.unlink(world.tenant.id, writer.id, mine.id, world.admin)
    assert.lengthOf(await ContactOutlet.forTenant(world.tenant), 0)
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'outlet.unlinked')
      .firstOrFail()
    assert.deepInclude(audit.changes!, { contact: writer.phone, source: 'agent' })
  })
})

test.group('Outlets: a user’s franchise/outlet scopes', () => {
  /** A conversation of `world` carrying these ids (what the inbox copies from the outlet). */
  async function conversation(world: World, who: Contact, fid: string | null, oid: string | null) {
    const now = toSqlDateTime(clock.now())
    const [id] = await db.table('conversations').insert({
      tenant_id: world.tenant.id,
      contact_id: who.id,
      kind: 'support',
      status: 'open',
      fid,
      oid,
      last_message_at: now,
      created_at: now,
      updated_at: now,
    })
    return Number(id)
  }

  async function visible(world: World, scopes: Scope[] | null) {
    const query = db.from('conversations').where('tenant_id', world.tenant.id)
    const rows = await applyScope(query, scopes).orderBy('id').select('fid', 'oid')
    return rows.map((row: { fid: string | null; oid: string | null }) =>
      row.fid ? `${row.fid}/${row.oid}` : 'none'
    )
  }

  test('applyScope narrows to whole franchises and single outlets; no fid is never in scope', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const who = await contact(world)
    await conversation(world, who, 'F1', 'O1')
    await conversation(world, who, 'F1', 'O2')
    await conversation(world, who, 'F2', 'O1')
    await conversation(world, who, 'F2', 'O2')
    await conversation(world, who, 'F3', 'O1')
    await conversation(world, who, null, null)

    const all = ['F1/O1', 'F1/O2', 'F2/O1', 'F2/O2', 'F3/O1', 'none']
    assert.deepEqual(await visible(world, null), all)
    assert.deepEqual(await visible(world, []), all)
    assert.deepEqual(await visible(world, [{ fid: 'F1', oid: null }]), ['F1/O1', 'F1/O2'])
    assert.deepEqual(await visible(world, [{ fid: 'F2', oid: 'O2' }]), ['F2/O2'])
    assert.deepEqual(
      await visible(world, [
        { fid: 'F1', oid: null },
        { fid: 'F1', oid: 'O9' },
        { fid: 'F2', oid: 'O1' },
        { fid: 'F3', oid: 'O1' },
      ]),
      ['F1/O1', 'F1/O2', 'F2/O1', 'F3/O1']
    )
    assert.deepEqual(await visible(world, [{ fid: 'F9', oid: null }]), [])

    // With a join, the table qualifies the columns (contacts has no fid, but the scope must not be ambiguous).
    const joined = await applyScope(
      db
        .from('conversations')
        .join('contacts', 'contacts.id', 'conversations.contact_id')
        .where('conversations.tenant_id', world.tenant.id),
      [{ fid: 'F2', oid: null }],
      'conversations'
    ).select('conversations.oid')
    assert.sameMembers(
      joined.map((row: { oid: string }) => row.oid),
      ['O1', 'O2']
    )
  })

  test('set replaces the scopes, audited; of is null when unscoped and for managers', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const agent = await User.create({
      tenantId: world.tenant.id,
      branchId: null,
      fullName: `Agen ${world.key}`,
      email: `agent-${world.key}@test.loket`,
      password: PASSWORD,
      role: 'agent',
      isActive: true,
    })
    const actor = { user: world.admin, ip: null }
    assert.isNull(await userScopes.of(world.tenant.id, agent.id))

    const kept = await userScopes.set(
      world.tenant,
      agent,
      [
        { fid: 'F2', oid: 'O7' },
        { fid: 'F1', oid: null },
        { fid: 'F1', oid: 'O3' },
        { fid: 'F2', oid: 'O7' },
      ],
      actor
    )
    assert.deepEqual(kept, [
      { fid: 'F1', oid: null },
      { fid: 'F2', oid: 'O7' },
    ])
    assert.deepEqual(await userScopes.of(world.tenant.id, agent.id), kept)
    const audit = await AuditLog.query()
      .where('tenant_id', world.tenant.id)
      .where('action', 'user.scopes_updated')
      .firstOrFail()
    assert.deepEqual(audit.changes, { outlet_scopes: ['', 'F1, F2/O7'] })

    // The same list again records nothing; a new one replaces the old.
    await userScopes.set(world.tenant, agent, kept, actor)
    await userScopes.set(world.tenant, agent, [{ fid: 'F5', oid: null }], actor)
    assert.deepEqual(await userScopes.of(world.tenant.id, agent.id), [{ fid: 'F5', oid: null }])
    assert.lengthOf(
      await AuditLog.query()
        .where('tenant_id', world.tenant.id)
        .where('action', 'user.scopes_updated'),
      2
    )

    // Promoted to supervisor: the rows stay but no longer limit them.
    agent.role = 'supervisor'
    await agent.save()
    assert.isNull(await userScopes.of(world.tenant.id, agent.id))
    assert.deepEqual(await userScopes.list(world.tenant.id, agent.id), [{ fid: 'F5', oid: null }])

    const refused = await rejection(
      userScopes.set(world.tenant, agent, [{ fid: 'F1', oid: null }], actor)
    )
    assert.instanceOf(refused, DomainError)
    assert.equal(refused?.status, 422)
    // Clearing is always allowed.
    await userScopes.set(world.tenant, agent, [], actor)
    assert.lengthOf(await UserScope.forTenant(world.tenant).where('user_id', agent.id), 0)

    const other = await createWorld({ services: 0, counters: 0 })
    const notFound = await rejection(userScopes.set(other.tenant, agent, [], actor))
    assert.equal((notFound as { status?: number } | null)?.status, 404)
  })
})

test.group('Outlets: CSV import at scale', () => {
  test('10,000 rows import in a few seconds; the same file again changes nothing', async ({
    assert,
  }) => {
    const world = await createWorld({ services: 0, counters: 0 })
    const lines = ['fid;oid;name;address;phone;expires_on;status']
    for (let index = 0; index < 10_000; index++) {
      const fid = `F${String(index % 100).padStart(3, '0')}`
      lines.push(
        `${fid};O${index};Outlet ${index};Jl. Contoh ${index};08${String(1_200_000_000 + index)};31/12/2026;active`
      )
    }
    const csv = lines.join('\r\n')
    const actor = { user: world.admin, ip: null }

    const started = Date.now()
    const first = await directory.importCsv(world.tenant, csv, actor)
    const took = Date.now() - started
    assert.deepInclude(first, { rows: 10_000, created: 10_000, updated: 0, unchanged: 0 })
    assert.deepEqual(first.errors, [])
    assert.isBelow(took, 8_000, `took ${took} ms`)
    assert.equal(
      Number((await Outlet.forTenant(world.tenant).count('* as n'))[0].$extras.n),
      10_000
    )
    const sample = await Outlet.forTenant(world.tenant).where('oid', 'O42').firstOrFail()
    assert.deepInclude(sample.$attributes, {
      fid: 'F042',
      name: 'Outlet 42',
      phone: '+6281200000042',
      expiresOn: '2026-12-31',
      status: 'active',
    })

    const againStarted = Date.now()
    const again = await directory.importCsv(world.tenant, csv, actor)
    assert.deepInclude(again, { rows: 10_000, created: 0, updated: 0, unchanged: 10_000 })
    assert.isBelow(Date.now() - againStarted, 8_000)
  }).timeout(60_000)
})
