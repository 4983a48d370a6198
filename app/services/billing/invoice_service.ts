import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import Booking from '#models/booking'
import Branch from '#models/branch'
import Customer from '#models/customer'
import Invoice from '#models/invoice'
import InvoiceEvent from '#models/invoice_event'
import InvoiceLine from '#models/invoice_line'
import Job from '#models/job'
import Tenant from '#models/tenant'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import { hasRowLocks } from '#support/database'
import { deleteStored, storeUpload } from '#support/file_store'
import { urlToken } from '#support/secrets'
import { sqlOf } from '#support/sql'
import messagingDirectory, { type MessagingProfile } from '#services/messaging/messaging_directory'
import { transactionWithOutbox, type OutboxBatch } from '#services/messaging/outbox'
import AuditTrail from '#services/platform/audit_trail'
import CustomerDirectory from '#services/field/customer_directory'
import { announceInvoiceEvent, invoiceRecipient } from '#services/billing/billing_messaging'
import { computeTotals, invoiceNumber, sequencePeriod } from '#services/billing/invoice_math'
import { canTake, statusAfter } from '#services/billing/invoice_state_machine'
import type { InvoiceEventType, InvoiceSource, InvoiceStatus, PaymentMethod } from '#enums/billing'
import { tenantRows } from '#models/mixins/tenant_owned'

/** Who does a step: a member of staff (null for the system: a gateway's payment). */
export interface InvoiceActor {
  by: User | null
  ip?: string | null
}

/** An invoice's lines and bill-to as CS writes them; amounts in minor units. */
export interface InvoiceInput {
  customerId: number | null
  billToName?: string | null
  billToPhone?: string | null
  billToEmail?: string | null
  billToAddress?: string | null
  lines: { description: string; quantity: number; unitPrice: number }[]
  discount: number
  notes?: string | null
  source?: { type: InvoiceSource; id: string } | null
}

/** What CS records of a payment received outside a gateway. */
export interface PaymentRecord {
  paidOn: string
  method: PaymentMethod
  reference?: string | null
  proof?: MultipartFile | null
}

/** The audit action of each step: every step of an invoice is in the audit log. */
const AUDIT_ACTIONS: Record<InvoiceEventType, string> = {
  created: 'invoice.created',
  edited: 'invoice.edited',
  submitted: 'invoice.submitted',
  approved: 'invoice.approved',
  rejected: 'invoice.rejected',
  sent: 'invoice.sent',
  paid: 'invoice.paid',
  voided: 'invoice.voided',
}

/** A proof of payment: a photo of the transfer slip or the bank's PDF. */
export const PROOF_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'] as const
export const PROOF_MAX_BYTES = 5 * 1024 * 1024

/** At most this many lines on one invoice. */
export const MAX_LINES = 100

interface StepContext {
  trx: TransactionClientContract
  outbox: OutboxBatch
  profile: MessagingProfile
  now: DateTime
}

/** What a step did to the locked invoice: its event's reason and data. */
interface Change {
  reason?: string | null
  data?: Record<string, unknown> | null
}

/**
 * Invoices (seed 003, FIN). CS writes a draft (from a done job, a finished booking or from
 * scratch), asks sales to approve its price, sends it and records its payment; sales approves or
 * rejects. Each step is one transaction on the locked invoice row that follows the state machine
 * (invoice_state_machine.ts), appends an invoice_events row, writes the audit entry and what the
 * step announces (the customer's message, webhooks). Approval gives the number from the tenant's
 * counter of the period, in the same transaction: a rolled-back approval gives its number back,
 * so numbers are never skipped, and the counter row's lock means they never repeat.
 */
@inject()
export default class InvoiceService {
  constructor(
    protected auditTrail: AuditTrail,
    protected customers: CustomerDirectory
  ) {}

  /** A new draft of the tenant's (branch may be null: billed by the business as a whole). */
  async create(
    { id: tenantId }: Pick<Tenant, 'id'>,
    branchId: number | null,
    input: InvoiceInput,
    actor: InvoiceActor
  ) {
    const tenant = await Tenant.findOrFail(tenantId)
    const billTo = await this.#billTo(tenant.id, input)
    if (input.source) await this.#assertSource(tenant.id, input.source)
    const rule = taxRule(tenant)
    const totals = computeTotals(input.lines, input.discount, rule)
    const profile = await messagingDirectory.get(tenant.id)
    return transactionWithOutbox(async (trx, outbox) => {
      const now = clock.now()
      const invoice = await Invoice.create(
        {
          tenantId: tenant.id,
          branchId,
          customerId: billTo.customerId,
          sourceType: input.source?.type ?? null,
          sourceId: input.source?.id ?? null,
          number: null,
          token: urlToken(),
          status: 'draft',
          currency: rule.currency,
          taxMode: rule.mode,
          taxRateBp: rule.rateBp,
          pricesIncludeTax: rule.pricesIncludeTax,
          billToName: billTo.name,
          billToPhone: billTo.phone,
          billToEmail: billTo.email,
          billToAddress: billTo.address,
          locale: billTo.locale,
          notes: input.notes ?? null,
          ...amounts(totals),
          createdBy: actor.by?.id ?? null,
        },
        { client: trx }
      )
      await writeLines(trx, invoice, input.lines, totals.lineAmounts)
      await this.#record({ trx, outbox, profile, now }, invoice, 'created', null, {}, actor)
      return invoice
    })
  }

  /**
   * New lines, discount or bill-to. An invoice that was waiting for approval, approved or sent goes
   * back to draft: the approval no longer covers its price (a number once given stays).
   */
  async update(invoiceId: number, tenantId: number, input: InvoiceInput, actor: InvoiceActor) {
    const tenant = await Tenant.findOrFail(tenantId)
    const billTo = await this.#billTo(tenantId, input)
    const rule = taxRule(tenant)
    const totals = computeTotals(input.lines, input.discount, rule)
    return this.#step(invoiceId, tenantId, 'edited', actor, async (invoice, { trx }) => {
      const before = { total: invoice.total, approved_total: invoice.approvedTotal }
      invoice.merge({
        customerId: billTo.customerId,
        billToName: billTo.name,
        billToPhone: billTo.phone,
        billToEmail: billTo.email,
        billToAddress: billTo.address,
        locale: billTo.locale,
        notes: input.notes ?? null,
        currency: rule.currency,
        taxMode: rule.mode,
        taxRateBp: rule.rateBp,
        pricesIncludeTax: rule.pricesIncludeTax,
        ...amounts(totals),
        approvedTotal: null,
        approvedBy: null,
        approvedAt: null,
      })
      await InvoiceLine.query({ client: trx }).where('invoice_id', invoice.id).delete()
      await writeLines(trx, invoice, input.lines, totals.lineAmounts)
      return { data: { ...before, new_total: invoice.total } }
    })
  }

  /** CS asks sales to approve the price. */
  submit(invoiceId: number, tenantId: number, actor: InvoiceActor) {
    return this.#step(invoiceId, tenantId, 'submitted', actor, async (invoice) => {
      if (invoice.total <= 0) throw new DomainError('invoice_total_zero', {}, 422)
      return {}
    })
  }

  /**
   * Sales approves the price: the approved total is recorded with who and when, and the invoice
   * gets its number (once: an invoice approved again after a change keeps it), its issue day and
   * its due day.
   */
  async approve(invoiceId: number, tenantId: number, actor: InvoiceActor) {
    const tenant = await Tenant.findOrFail(tenantId)
    const invoice = await Invoice.forTenant(tenantId).where('id', invoiceId).first()
    if (!invoice) throw new DomainError('invoice_not_found', {}, 404)
    const today = await localToday(invoice)
    const format = tenant.billing.numberFormat
    const period = sequencePeriod(format, today)
    // The period's counter row exists before the transaction, which then only updates it: two
    // first approvals of a month never race to insert it (that would deadlock on MySQL).
    const client = db.connection()
    const verb = client.dialect.name === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE'
    await client.rawQuery(
      `${verb} INTO invoice_sequences (tenant_id, period, last_value) VALUES (?, ?, 0)`,
      [tenantId, period]
    )
    return this.#step(invoiceId, tenantId, 'approved', actor, async (locked, { trx, now }) => {
      if (!locked.number) {
        await tenantRows(trx, 'invoice_sequences', tenantId)
          .where({ period })
          .increment('last_value', 1)
        const row = await tenantRows(trx, 'invoice_sequences', tenantId)
          .where({ period })
          .select('last_value')
          .firstOrFail()
        locked.number = invoiceNumber(format, today, Number(row.last_value))
        locked.issuedOn = today.iso
        locked.dueOn = DateTime.fromISO(today.iso)
          .plus({ days: tenant.billing.paymentTermsDays })
          .toISODate()
      }
      locked.merge({
        approvedTotal: locked.total,
        approvedBy: actor.by?.id ?? null,
        approvedAt: now,
      })
      return { data: { number: locked.number, approved_total: locked.total } }
    })
  }

  /** Sales refuses the price, with a reason: the invoice goes back to CS as a draft. */
  reject(invoiceId: number, tenantId: number, reason: string, actor: InvoiceActor) {
    return this.#step(invoiceId, tenantId, 'rejected', actor, async () => ({ reason }))
  }

  /** The invoice goes to the customer (WhatsApp or email through the outbox) with its link. */
  send(invoiceId: number, tenantId: number, actor: InvoiceActor) {
    return this.#step(invoiceId, tenantId, 'sent', actor, async (invoice, { profile, now }) => {
      if (!invoiceRecipient(profile, invoice))
        throw new DomainError('invoice_no_recipient', {}, 422)
      invoice.sentAt = now
      return {}
    })
  }

  /**
   * CS records a payment: the day, how, a reference and a proof (an image or a PDF, typed by its
   * bytes and size-checked). The proof is stored first; when the step is refused it is removed.
   */
  async markPaid(invoiceId: number, tenantId: number, payment: PaymentRecord, actor: InvoiceActor) {
    if (
      !DateTime.fromISO(payment.paidOn).isValid ||
      payment.paidOn > clock.now().plus({ days: 1 }).toISODate()!
    )
      throw new DomainError('invoice_paid_on_invalid', {}, 422)
    const proof = payment.proof
      ? await storeUpload(payment.proof, {
          allowed: PROOF_TYPES,
          maxBytes: PROOF_MAX_BYTES,
          prefix: `invoices/${tenantId}/${invoiceId}`,
        })
      : null
    try {
      return await this.#step(invoiceId, tenantId, 'paid', actor, async (invoice, { now }) => {
        invoice.merge({
          paidOn: payment.paidOn,
          paidAt: now,
          paymentMethod: payment.method,
          paymentReference: payment.reference ?? null,
          proofPath: proof?.key ?? null,
          proofMime: proof?.mime ?? null,
          proofSize: proof?.size ?? null,
        })
        return {
          data: {
            method: payment.method,
            reference: payment.reference ?? null,
            paid_on: payment.paidOn,
          },
        }
      })
    } catch (error) {
      if (proof) await deleteStored(proof.key).catch(() => {})
      throw error
    }
  }

  /**
   * An invoice paid through the tenant's gateway (the payment's webhook, confirmed): refused when
   * the amount paid is not the invoice's total (changed and approved again since the page was made).
   */
  markPaidByGateway(
    invoiceId: number,
    tenantId: number,
    payment: { orderId: string; amount: number; at: DateTime }
  ) {
    return this.#step(invoiceId, tenantId, 'paid', { by: null }, async (invoice) => {
      if (invoice.total !== payment.amount)
        throw new DomainError('invoice_amount_changed', { number: invoice.label }, 409)
      const local = payment.at.setZone(await zoneOf(invoice))
      invoice.merge({
        paidOn: local.toISODate(),
        paidAt: payment.at,
        paymentMethod: 'gateway',
        paymentReference: payment.orderId,
      })
      return { data: { method: 'gateway', reference: payment.orderId } }
    })
  }

  /** Cancels an unpaid invoice, with a reason; its number, when it has one, stays with it. */
  void(invoiceId: number, tenantId: number, reason: string, actor: InvoiceActor) {
    return this.#step(invoiceId, tenantId, 'voided', actor, async (invoice, { now }) => {
      invoice.merge({ voidedAt: now, voidReason: reason })
      return { reason }
    })
  }

  /** The invoice's history, oldest first, with who did each step. */
  history(invoice: Invoice) {
    return InvoiceEvent.query().where('invoice_id', invoice.id).preload('user').orderBy('id')
  }

  /**
   * What a new invoice from finished work starts with: the bill-to and lines of a done job (its
   * title, one line CS prices) or a finished booking (its service at the booking's price).
   */
  async prefill(tenantId: number, source: { type: InvoiceSource; id: string }) {
    const found = await this.#assertSource(tenantId, source)
    if (found instanceof Job) {
      return {
        branchId: found.branchId,
        customerId: found.customerId,
        lines: [{ description: `${found.title} (${found.code})`, quantity: 1, unitPrice: 0 }],
      }
    }
    await found.load('service')
    const customer = found.customerPhone
      ? await Customer.forTenant(tenantId).where('phone', found.customerPhone).first()
      : null
    return {
      branchId: found.branchId,
      customerId: customer?.id ?? null,
      billToName: found.customerName,
      billToPhone: found.customerPhone,
      billToEmail: found.customerEmail,
      lines: [
        {
          description: `${found.service.nameIn(found.locale ?? 'id')} (${found.code})`,
          quantity: 1,
          unitPrice: found.price,
        },
      ],
    }
  }

  /**
   * Runs one step on the tenant's locked invoice: refused (409) unless the state machine allows
   * it from the invoice's status; `apply` changes it; the status follows the step.
   */
  async #step(
    invoiceId: number,
    tenantId: number,
    type: Exclude<InvoiceEventType, 'created'>,
    actor: InvoiceActor,
    apply: (invoice: Invoice, step: StepContext) => Promise<Change>
  ) {
    const profile = await messagingDirectory.get(tenantId)
    return transactionWithOutbox(async (trx, outbox) => {
      const now = clock.now()
      const query = Invoice.forTenant(tenantId, { client: trx }).where('id', invoiceId)
      if (hasRowLocks(trx)) query.forUpdate()
      const invoice = await query.first()
      if (!invoice) throw new DomainError('invoice_not_found', {}, 404)
      const from = invoice.status
      if (!canTake(type, from))
        throw new DomainError('invoice_step_refused', { status: from, step: type }, 409)
      const step = { trx, outbox, profile, now }
      const change = await apply(invoice, step)
      invoice.status = statusAfter(type, from)
      await invoice.useTransaction(trx).save()
      await this.#record(step, invoice, type, from, change, actor)
      return invoice
    })
  }

  /** Appends the event, writes the audit entry and what the step announces. */
  async #record(
    step: StepContext,
    invoice: Invoice,
    type: InvoiceEventType,
    from: InvoiceStatus | null,
    change: Change,
    actor: InvoiceActor
  ) {
    await InvoiceEvent.create(
      {
        tenantId: invoice.tenantId,
        invoiceId: invoice.id,
        type,
        fromStatus: from,
        toStatus: invoice.status,
        userId: actor.by?.id ?? null,
        reason: change.reason ?? null,
        data: change.data ?? null,
        createdAt: step.now,
      },
      { client: step.trx }
    )
    await this.auditTrail.record(
      {
        action: AUDIT_ACTIONS[type],
        tenantId: invoice.tenantId,
        branchId: invoice.branchId,
        subject: { type: 'invoice', id: invoice.id },
        changes: {
          from,
          to: invoice.status,
          total: invoice.total,
          reason: change.reason ?? null,
          ...(change.data ?? {}),
        },
      },
      { user: actor.by, ip: actor.ip ?? null },
      step.trx
    )
    await announceInvoiceEvent(sqlOf(step.trx), step.outbox, invoice, type, step)
  }

  /** The bill-to: typed, or the customer's (an active customer of the tenant) where left empty. */
  async #billTo(tenantId: number, input: InvoiceInput) {
    const customer = input.customerId
      ? await Customer.forTenant(tenantId)
          .where('id', input.customerId)
          .where('status', 'active')
          .first()
      : null
    if (input.customerId && !customer) throw new DomainError('customer_not_found', {}, 422)
    const name = input.billToName?.trim() || customer?.name
    if (!name) throw new DomainError('invoice_bill_to_required', {}, 422)
    if (input.lines.length === 0 || input.lines.length > MAX_LINES)
      throw new DomainError('invoice_lines_invalid', { max: MAX_LINES }, 422)
    return {
      customerId: customer?.id ?? null,
      name,
      phone: (await this.customers.phoneOf(tenantId, input.billToPhone)) ?? customer?.phone ?? null,
      email: input.billToEmail?.trim().toLowerCase() || null,
      address: input.billToAddress?.trim() || customer?.address || null,
      locale: customer?.locale ?? null,
    }
  }

  /** A done job or a finished booking of the tenant; anything else cannot be billed as finished work. */
  async #assertSource(tenantId: number, source: { type: InvoiceSource; id: string }) {
    if (source.type === 'job') {
      const jobId = Number(source.id)
      const job = Number.isSafeInteger(jobId)
        ? await Job.forTenant(tenantId).where('id', jobId).first()
        : null
      if (!job) throw new DomainError('invoice_source_not_found', {}, 404)
      if (job.status !== 'done') throw new DomainError('invoice_source_unfinished', {}, 409)
      return job
    }
    const booking = await Booking.forTenant(tenantId).where('id', source.id).first()
    if (!booking) throw new DomainError('invoice_source_not_found', {}, 404)
    if (booking.status !== 'done') throw new DomainError('invoice_source_unfinished', {}, 409)
    return booking
  }
}

/** The tenant's tax rule, as new and edited invoices apply it. */
export function taxRule(tenant: Tenant) {
  const settings = tenant.billing
  return {
    mode: settings.taxMode,
    rateBp: settings.taxRateBp,
    pricesIncludeTax: settings.pricesIncludeTax,
    currency: tenant.currency,
  }
}

function amounts(totals: ReturnType<typeof computeTotals>) {
  return {
    subtotal: totals.subtotal,
    discount: totals.discount,
    net: totals.net,
    taxBase: totals.taxBase,
    tax: totals.tax,
    total: totals.total,
  }
}

async function writeLines(
  trx: TransactionClientContract,
  invoice: Invoice,
  lines: InvoiceInput['lines'],
  lineAmounts: number[]
) {
  await InvoiceLine.createMany(
    lines.map((line, index) => ({
      tenantId: invoice.tenantId,
      invoiceId: invoice.id,
      position: index + 1,
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: lineAmounts[index],
    })),
    { client: trx }
  )
}

/** The time zone an invoice's days are counted in: its branch's, else the tenant's first branch's. */
async function zoneOf(invoice: Invoice) {
  // Inside the step's transaction when the invoice is bound to one (SQLite has one connection).
  const branches = Branch.forTenant(invoice.tenantId, { client: invoice.$trx }).orderBy('id')
  if (invoice.branchId) branches.where('id', invoice.branchId)
  const branch = await branches.first()
  return branch?.timezone ?? 'Asia/Jakarta'
}

/** Today in the invoice's time zone: `{ year, month, iso }`. */
async function localToday(invoice: Invoice) {
  const local = clock.now().setZone(await zoneOf(invoice))
  return { year: local.year, month: local.month, iso: local.toISODate()! }
}
