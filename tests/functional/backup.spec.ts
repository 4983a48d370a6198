import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import Backups from '#services/operations/backups'
import BookingService from '#services/bookings/booking_service'
import InvoiceService from '#services/billing/invoice_service'
import QueueEngine from '#services/queue/queue_engine'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { createFieldWorld } from '#tests/helpers/field'

const backups = new Backups()

/**
 * A second database for the drill, migrated from scratch: a file beside the test database on
 * SQLite, `<test database>_restore` on MySQL. The drill restores into it, never into the database
 * the rest of the suite works in.
 */
async function drillDatabase() {
  const name = 'restore_drill'
  if (db.manager.has(name)) await db.manager.close(name, true)
  const primary = db.connection()
  const config = structuredClone(db.getRawConnection(db.primaryConnectionName)!.config) as any
  if (primary.dialect.name === 'mysql') {
    const database = `${config.connection.database}_restore`
    await primary.rawQuery(`DROP DATABASE IF EXISTS \`${database}\``)
    await primary.rawQuery(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`
    )
    config.connection.database = database
  } else {
    config.connection.filename = app.tmpPath(`restore-drill-${randomUUID()}.sqlite3`)
  }
  db.manager.add(name, config)
  const migrator = new MigrationRunner(db, app, { direction: 'up', connectionName: name })
  await migrator.run()
  if (migrator.error) throw migrator.error
  return name
}

/** What the drill compares: a tenant's tickets, bookings, invoices and lines, as one database holds them. */
async function sample(connection: string | undefined, tenantIds: number[]) {
  const rows = (table: string) =>
    db.connection(connection).from(table).whereIn('tenant_id', tenantIds).orderBy('id').select('*')
  return {
    tickets: await rows('tickets'),
    bookings: await rows('bookings'),
    invoices: await rows('invoices'),
    lines: await rows('invoice_lines'),
  }
}

test.group('Backups', () => {
  test('the restore drill: back up, lose the data, restore; tickets, bookings, invoices and files come back identical', async ({
    assert,
  }) => {
    const world = await createBookingWorld()
    const engine = await app.container.make(QueueEngine)
    for (let index = 0; index < 3; index++)
      await engine.take(world.branch, world.services[0], { channel: 'web' })
    const bookings = await app.container.make(BookingService)
    await bookings.book(world.entry, world.service, {
      date: tomorrow(),
      time: '09:00',
      name: 'Sari',
      phone: '+6281234567890',
      channel: 'web',
    })
    const field = await createFieldWorld()
    const invoices = await app.container.make(InvoiceService)
    await invoices.create(
      field.tenant,
      field.branch.id,
      {
        customerId: field.customer.id,
        lines: [{ description: 'Servis AC', quantity: 2, unitPrice: 150_000 }],
        discount: 0,
      },
      { by: field.cs }
    )
    const fileKey = `drill/${randomUUID()}.pdf`
    await drive.use().put(fileKey, Buffer.from('%PDF-1.4 drill file'))
    const tenants = [world.tenant.id, field.tenant.id]
    const before = await sample(undefined, tenants)
    assert.lengthOf(before.tickets, 3)
    assert.lengthOf(before.bookings, 1)
    assert.lengthOf(before.invoices, 1)

    const path = app.tmpPath(`backups/drill-${randomUUID()}.ndjson.gz`)
    const made = await backups.create(path)
    assert.isAbove(made.rows, 0)
    assert.isAbove(made.files, 0)

    // The disaster: the server is gone. A new database, migrated, and the files lost.
    const target = await drillDatabase()
    await drive.use().delete(fileKey)
    try {
      const restored = await new Backups(target).restore(path)
      assert.equal(restored.rows, made.rows)
      assert.equal(restored.files, made.files)
      assert.deepEqual(await sample(target, tenants), before)
      assert.equal(
        Buffer.from(await drive.use().getBytes(fileKey)).toString(),
        '%PDF-1.4 drill file'
      )
      // Every table holds what the backup held.
      for (const table of ['tenants', 'users', 'services', 'audit_logs']) {
        const [{ total: here }] = await db.from(table).count('* as total')
        const [{ total: there }] = await db.connection(target).from(table).count('* as total')
        assert.equal(Number(there), Number(here), table)
      }
    } finally {
      await db.manager.close(target, true)
    }
  })

  test('a backup of another migration version is refused and nothing changes', async ({
    assert,
  }) => {
    const world = await createBookingWorld()
    const path = app.tmpPath(`backups/foreign-${randomUUID()}.ndjson.gz`)
    await writeFile(
      path,
      gzipSync(
        `${JSON.stringify({ loket_backup: 1, dialect: 'mysql', migrations: ['0001_tenants'] })}\n${JSON.stringify({ table: 'tenants', columns: ['id'] })}\n`
      )
    )
    await assert.rejects(() => backups.restore(path), /was made at migration 0001_tenants/)
    const still = await db.from('tenants').where('id', world.tenant.id).first()
    assert.equal(still.slug, world.tenant.slug)

    await writeFile(path, gzipSync('{"hello":"world"}\n'))
    await assert.rejects(() => backups.restore(path), /Not a Loket backup/)
  })
})
