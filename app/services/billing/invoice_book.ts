import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Invoice from '#models/invoice'
import { csvRecord } from '#support/csv'
import { withoutWildcards } from '#support/sql'
import { majorAmountText } from '#support/prices'
import type { InvoiceStatus } from '#enums/billing'

export interface InvoiceFilter {
  /** A status, or `overdue`: approved or sent, due before today. */
  status?: InvoiceStatus | 'overdue' | null
  customerId?: number | null
  /** `YYYY-MM`: issued that month (drafts: written that month). */
  month?: string | null
  /** Part of the number or of the billed name. */
  q?: string | null
  page?: number
}

/** A month of the tenant's billing: what was issued, paid and is still open. */
export interface MonthTotals {
  month: string
  count: number
  billed: number
  paid: number
  open: number
  overdue: number
}

export const INVOICES_PER_PAGE = 25

/** Invoices read per query by the export: a big tenant's year never sits in memory at once. */
const CHUNK = 1000

/** The export's columns, in this order. */
export const EXPORT_COLUMNS = [
  'number',
  'status',
  'issued_on',
  'due_on',
  'paid_on',
  'bill_to',
  'phone',
  'currency',
  'subtotal',
  'discount',
  'tax_base',
  'tax',
  'total',
  'payment_method',
  'payment_reference',
] as const

/**
 * What the invoice screens read for CS and owners: the list by status, customer and month (overdue
 * ones flagged), the totals per month, and the same list as a CSV file. `branchIds` is the reader's
 * branch scope.
 */
export default class InvoiceBook {
  /** The tenant's invoices matching the filter, in `branchIds` (null: all of them, as an API key reads). */
  query(tenantId: number, branchIds: number[] | null, filter: InvoiceFilter, today: string) {
    const query = Invoice.forTenant(tenantId)
    if (branchIds) query.whereIn('branch_id', branchIds)
    if (filter.status === 'overdue')
      query.whereIn('status', ['approved', 'sent']).where('due_on', '<', today)
    else if (filter.status) query.where('status', filter.status)
    if (filter.customerId) query.where('customer_id', filter.customerId)
    if (filter.month) {
      const first = `${filter.month}-01`
      const next = DateTime.fromISO(first).plus({ months: 1 }).toISODate()!
      query.where((month) =>
        month
          .where((issued) => issued.where('issued_on', '>=', first).where('issued_on', '<', next))
          .orWhere((draft) =>
            draft
              .whereNull('issued_on')
              .where('created_at', '>=', first)
              .where('created_at', '<', next)
          )
      )
    }
    if (filter.q) {
      const like = `%${withoutWildcards(filter.q)}%`
      query.where((text) =>
        text.where('number', 'like', like).orWhere('bill_to_name', 'like', like)
      )
    }
    return query
  }

  list(tenantId: number, branchIds: number[], filter: InvoiceFilter, today: string) {
    return this.query(tenantId, branchIds, filter, today)
      .orderBy('id', 'desc')
      .paginate(filter.page ?? 1, INVOICES_PER_PAGE)
  }

  /**
   * The last twelve months with invoices issued (approved, sent, paid; void ones left out): how
   * many, their total, what was paid, what is open and what of that is overdue.
   */
  async monthTotals(tenantId: number, branchIds: number[], today: string): Promise<MonthTotals[]> {
    const since = DateTime.fromISO(today).startOf('month').minus({ months: 11 }).toISODate()!
    const rows = await Invoice.forTenant(tenantId)
      .whereIn('branch_id', branchIds)
      .whereIn('status', ['approved', 'sent', 'paid'])
      .where('issued_on', '>=', since)
      .select(db.raw('substr(issued_on, 1, 7) as month'))
      .count('* as count')
      .sum('total as billed')
      .select(db.raw(`sum(case when status = 'paid' then total else 0 end) as paid`))
      .select(
        db.raw(`sum(case when status <> 'paid' and due_on < ? then total else 0 end) as overdue`, [
          today,
        ])
      )
      .groupByRaw('substr(issued_on, 1, 7)')
      .orderBy('month', 'desc')
      .pojo<Record<string, string | number>>()
    return rows.map((row) => ({
      month: String(row.month),
      count: Number(row.count),
      billed: Number(row.billed),
      paid: Number(row.paid),
      open: Number(row.billed) - Number(row.paid),
      overdue: Number(row.overdue),
    }))
  }

  /** The list as a CSV file, every invoice the filter matches, newest first, in chunks. */
  async *csv(
    tenantId: number,
    branchIds: number[],
    filter: InvoiceFilter,
    today: string
  ): AsyncGenerator<string> {
    yield '\uFEFF' + csvRecord(EXPORT_COLUMNS)
    let before: number | null = null
    for (;;) {
      const query = this.query(tenantId, branchIds, filter, today)
        .orderBy('id', 'desc')
        .limit(CHUNK)
      if (before !== null) query.where('id', '<', before)
      const invoices = await query
      if (invoices.length === 0) return
      yield invoices.map((invoice) => csvRecord(exportRow(invoice))).join('')
      if (invoices.length < CHUNK) return
      before = invoices[invoices.length - 1].id
    }
  }
}

function exportRow(invoice: Invoice) {
  const amount = (minor: number) => majorAmountText(minor, invoice.currency)
  return [
    invoice.number,
    invoice.status,
    invoice.issuedOn,
    invoice.dueOn,
    invoice.paidOn,
    invoice.billToName,
    invoice.billToPhone,
    invoice.currency,
    amount(invoice.subtotal),
    amount(invoice.discount),
    amount(invoice.taxBase),
    amount(invoice.tax),
    amount(invoice.total),
    invoice.paymentMethod,
    invoice.paymentReference,
  ]
}
