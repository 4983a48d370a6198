import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import Backups from '#services/operations/backups'
import BookingService from '#services/bookings/booking_service'
import InvoiceService from '#services/billing/invoice_service'
import QueueEngine from '#services/queue/queue_engine'
import { createBookingWorld, tomorrow } from '#tests/helpers/bookings'
import { createFieldWorld } from '#tests/helpers/field'

const backups = new Backups()

/** What the drill compares: the rows of a tenant's tickets, bookings, invoices and lines, and a file. */
async function sample(tenantIds: number[], fileKey: string) {
  const rows = (table: string) =>
    db.from(table).whereIn('tenant_id', tenantIds).orderBy('id').select('*')
  return {
    tickets: await rows('tickets'),
    bookings: await rows('bookings'),
    invoices: await rows('invoices'),
    lines: await rows('invoice_lines'),
    file: Buffer.from(await drive.use().getBytes(fileKey)).toString('base64'),
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
    const before = await sample(tenants, fileKey)
    assert.lengthOf(before.tickets, 3)
    assert.lengthOf(before.bookings, 1)
    assert.lengthOf(before.invoices, 1)

    const path = app.tmpPath(`backups/drill-${randomUUID()}.ndjson.gz`)
    const made = await backups.create(path)
    assert.isAbove(made.rows, 0)
    assert.isAbove(made.files, 0)

    // The disaster: the rows and the file are gone.
    for (const table of [
      'invoice_lines',
      'invoices',
      'booking_events',
      'bookings',
      'ticket_events',
      'tickets',
    ])
      await db.from(table).whereIn('tenant_id', tenants).delete()
    await drive.use().delete(fileKey)
    assert.lengthOf(await db.from('tickets').whereIn('tenant_id', tenants), 0)

    const restored = await backups.restore(path)
    assert.equal(restored.rows, made.rows)
    assert.equal(restored.files, made.files)
    assert.deepEqual(await sample(tenants, fileKey), before)

    // The database works on: a new number follows the restored ones.
    const next = await engine.take(world.branch, world.services[0], { channel: 'web' })
    assert.notInclude(
      before.tickets.map((ticket) => ticket.number),
      next.number
    )
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
