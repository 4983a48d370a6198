import { inject } from '@adonisjs/core'
import CustomerDirectory, { type CustomerFilter } from '#services/field/customer_directory'
import { csvRecord } from '#support/csv'
import { formatMoment } from '#support/dates'

/** The export's columns, in this order (the import reads name, phone, address and notes back). */
export const EXPORT_COLUMNS = [
  'name',
  'phone',
  'address',
  'notes',
  'status',
  'source',
  'created_at',
] as const

/** Customers read per query: a tenant's 50,000 customers never sit in memory at once. */
const CHUNK = 1000

/**
 * The customer list as a CSV file: every customer the list's filters match (not just a page),
 * newest first, read in chunks by id. The file starts with a UTF-8 byte-order mark, without which
 * Excel reads "Sulistyowati Ñoman" as mojibake; cells a spreadsheet would run as formulas are
 * guarded (csvRecord).
 */
@inject()
export default class CustomerExport {
  constructor(protected customers: CustomerDirectory) {}

  /** The file, piece by piece: the mark and the header, then one piece per chunk of customers. */
  async *csv(tenantId: number, filter: CustomerFilter, timezone: string): AsyncGenerator<string> {
    yield '\uFEFF' + csvRecord(EXPORT_COLUMNS)
    let before: number | null = null
    for (;;) {
      const query = this.customers.query(tenantId, filter).limit(CHUNK)
      if (before !== null) query.where('id', '<', before)
      const customers = await query
      if (customers.length === 0) return
      yield customers
        .map((customer) =>
          csvRecord([
            customer.name,
            customer.phone,
            customer.address,
            customer.notes,
            customer.status,
            customer.source,
            formatMoment(customer.createdAt, 'log', 'en', timezone),
          ])
        )
        .join('')
      if (customers.length < CHUNK) return
      before = customers[customers.length - 1].id
    }
  }
}
