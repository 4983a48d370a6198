import { Readable } from 'node:stream'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Invoice from '#models/invoice'
import InvoiceService, { type InvoiceInput, PROOF_TYPES } from '#services/billing/invoice_service'
import InvoiceBook from '#services/billing/invoice_book'
import InvoiceFiles from '#services/billing/invoice_files'
import CustomerDirectory from '#services/field/customer_directory'
import { canTake, isOverdue } from '#services/billing/invoice_state_machine'
import { invoiceUrl } from '#services/billing/billing_messaging'
import { amountInWords } from '#services/billing/invoice_math'
import { sendStored } from '#support/file_store'
import { majorAmountText } from '#support/prices'
import {
  invoiceFilterValidator,
  invoicePaymentValidator,
  invoiceReasonValidator,
  invoiceValidator,
  withoutBlankLines,
} from '#validators/billing'
import { filledQuery, findStaffRecord } from '#controllers/scope'
import { INVOICE_STATUSES, PAYMENT_METHODS } from '#enums/billing'

/** Empty rows the form offers below the lines, to add more without script. */
const SPARE_ROWS = 3

/**
 * Invoices for CS and owners: the list (by status, customer and month, overdue flagged, totals
 * per month, CSV), writing a draft (from scratch, a done job or a finished booking), its page with
 * the steps the reader's role may take (submit, approve or reject, send, record the payment, void),
 * its PDF and the proof of payment.
 */
@inject()
export default class InvoicesController {
  constructor(
    protected invoices: InvoiceService,
    protected book: InvoiceBook,
    protected files: InvoiceFiles,
    protected customers: CustomerDirectory
  ) {}

  async index(ctx: HttpContext) {
    const filter = await invoiceFilterValidator.validate(filledQuery(ctx))
    const today = ctx.branch.today()
    const branchIds = ctx.branches.map((branch) => branch.id)
    const criteria = { ...filter, customerId: filter.customer_id }
    const page = await this.book.list(ctx.tenant.id, branchIds, criteria, today)
    page.baseUrl(ctx.request.url())
    page.queryString({ ...filledQuery(ctx), page: undefined })
    return ctx.view.render('pages/billing/invoices/index', {
      section: 'invoices',
      filter,
      page,
      today,
      isOverdue,
      statuses: INVOICE_STATUSES,
      months: await this.book.monthTotals(ctx.tenant.id, branchIds, today),
      customers: await this.customers.pickable(ctx.tenant.id),
      exportQuery: { ...filledQuery(ctx), page: undefined },
    })
  }

  async export(ctx: HttpContext) {
    const filter = await invoiceFilterValidator.validate(filledQuery(ctx))
    const today = ctx.branch.today()
    const branchIds = ctx.branches.map((branch) => branch.id)
    ctx.response
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${ctx.i18n.t('billing.invoices.file_name')}-${today}.csv"`
      )
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
    ctx.response.stream(
      Readable.from(
        this.book.csv(
          ctx.tenant.id,
          branchIds,
          { ...filter, customerId: filter.customer_id },
          today
        )
      )
    )
  }

  /** A new draft; `?job_id=` or `?booking_id=` starts it from that finished work. */
  async create(ctx: HttpContext) {
    await ctx.bouncer.authorize('billCustomers')
    const { job_id: jobId, booking_id: bookingId, customer_id: customerId } = ctx.request.qs()
    const source = jobId
      ? { type: 'job' as const, id: String(jobId) }
      : bookingId
        ? { type: 'booking' as const, id: String(bookingId) }
        : null
    const start = source ? await this.invoices.prefill(ctx.tenant.id, source) : null
    return this.#form(ctx, null, {
      customer_id: start?.customerId ?? (Number(customerId) || null),
      bill_to_name: start && 'billToName' in start ? start.billToName : '',
      bill_to_phone: start && 'billToPhone' in start ? start.billToPhone : '',
      bill_to_email: start && 'billToEmail' in start ? start.billToEmail : '',
      lines: start?.lines ?? [],
      discount: 0,
      source_type: source?.type,
      source_id: source?.id,
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('billCustomers')
    const input = await ctx.request.validateUsing(invoiceValidator, {
      data: withoutBlankLines(ctx.request.all()),
    })
    const source =
      input.source_type && input.source_id ? { type: input.source_type, id: input.source_id } : null
    const branchId = source
      ? (await this.invoices.prefill(ctx.tenant.id, source)).branchId
      : ctx.branch.id
    const invoice = await this.invoices.create(
      ctx.tenant,
      branchId,
      { ...inputOf(input), source },
      this.#actor(ctx)
    )
    ctx.session.flash('success', ctx.i18n.t('billing.flash.created'))
    return ctx.response.redirect().toRoute('invoices.show', { id: invoice.id })
  }

  async show(ctx: HttpContext) {
    const invoice = await this.#find(ctx)
    await invoice.load('lines')
    const user = ctx.auth.user!
    const bills = await ctx.bouncer.allows('billCustomers')
    const approves = await ctx.bouncer.allows('approveInvoices')
    const can = (step: Parameters<typeof canTake>[0]) => canTake(step, invoice.status)
    return ctx.view.render('pages/billing/invoices/show', {
      section: 'invoices',
      invoice,
      history: await this.invoices.history(invoice),
      publicUrl: invoiceUrl(invoice),
      words: amountInWords(invoice.total, invoice.currency),
      overdue: isOverdue(invoice, ctx.branch.today()),
      paymentMethods: PAYMENT_METHODS.filter((method) => method !== 'gateway'),
      today: ctx.branch.today(),
      actions: {
        edit: bills && can('edited'),
        submit: bills && can('submitted'),
        approve: approves && can('approved'),
        reject: approves && can('rejected'),
        send: bills && can('sent'),
        pay: bills && can('paid'),
        void: bills && can('voided'),
      },
      userId: user.id,
    })
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.authorize('billCustomers')
    const invoice = await this.#find(ctx)
    await invoice.load('lines')
    return this.#form(ctx, invoice, {
      customer_id: invoice.customerId,
      bill_to_name: invoice.billToName,
      bill_to_phone: invoice.billToPhone,
      bill_to_email: invoice.billToEmail,
      bill_to_address: invoice.billToAddress,
      notes: invoice.notes,
      lines: invoice.lines,
      discount: invoice.discount,
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('billCustomers')
    const invoice = await this.#find(ctx)
    const input = await ctx.request.validateUsing(invoiceValidator, {
      data: withoutBlankLines(ctx.request.all()),
    })
    await this.invoices.update(invoice.id, ctx.tenant.id, inputOf(input), this.#actor(ctx))
    return this.#done(ctx, invoice, 'billing.flash.updated')
  }

  async submit(ctx: HttpContext) {
    await ctx.bouncer.authorize('billCustomers')
    const invoice = await this.#find(ctx)
    await this.invoices.submit(invoice.id, ctx.tenant.id, this.#actor(ctx))
    return this.#done(ctx, invoice, 'billing.flash.submitted')
  }

  async approve(ctx: HttpContext) {
    await ctx.bouncer.authorize('approveInvoices')
    const invoice = await this.#find(ctx)
    const approved = await this.invoices.approve(invoice.id, ctx.tenant.id, this.#actor(ctx))
    return this.#done(ctx, approved, 'billing.flash.approved')
  }

  async reject(ctx: HttpContext) {
    await ctx.bouncer.authorize('approveInvoices')
    const { reason } = await ctx.request.validateUsing(invoiceReasonValidator)
    const invoice = await this.#find(ctx)
    await this.invoices.reject(invoice.id, ctx.tenant.id, reason, this.#actor(ctx))
    return this.#done(ctx, invoice, 'billing.flash.rejected')
  }

  async send(ctx: HttpContext) {
    await ctx.bouncer.authorize('billCustomers')
    const invoice = await this.#find(ctx)
    await this.invoices.send(invoice.id, ctx.tenant.id, this.#actor(ctx))
    return this.#done(ctx, invoice, 'billing.flash.sent')
  }

  async pay(ctx: HttpContext) {
    await ctx.bouncer.authorize('billCustomers')
    const input = await ctx.request.validateUsing(invoicePaymentValidator)
    const invoice = await this.#find(ctx)
    await this.invoices.markPaid(
      invoice.id,
      ctx.tenant.id,
      {
        paidOn: input.paid_on,
        method: input.method,
        reference: input.payment_reference ?? null,
        proof: input.proof ?? null,
      },
      this.#actor(ctx)
    )
    return this.#done(ctx, invoice, 'billing.flash.paid')
  }

  async void(ctx: HttpContext) {
    await ctx.bouncer.authorize('billCustomers')
    const { reason } = await ctx.request.validateUsing(invoiceReasonValidator)
    const invoice = await this.#find(ctx)
    await this.invoices.void(invoice.id, ctx.tenant.id, reason, this.#actor(ctx))
    return this.#done(ctx, invoice, 'billing.flash.voided')
  }

  async pdf(ctx: HttpContext) {
    const invoice = await this.#find(ctx)
    return this.files.sendPdf(ctx.response, invoice, {
      download: ctx.request.qs().download === '1',
    })
  }

  async proof(ctx: HttpContext) {
    const invoice = await this.#find(ctx)
    if (!invoice.proofPath) return ctx.response.notFound()
    return sendStored(ctx.response, invoice.proofPath, PROOF_TYPES)
  }

  /** The tenant's invoice within the reader's branch scope (another tenant's: 404). */
  #find(ctx: HttpContext) {
    return findStaffRecord(ctx, Invoice, ctx.params.id, { ability: 'operate' })
  }

  async #form(ctx: HttpContext, invoice: Invoice | null, values: Record<string, any>) {
    const currency = ctx.tenant.currency
    const lines = (values.lines as { description: string; quantity: number; unitPrice: number }[])
      .map((line) => ({
        description: line.description,
        quantity: line.quantity,
        unit_price: line.unitPrice ? majorAmountText(line.unitPrice, currency) : '',
      }))
      .concat(
        Array.from({ length: SPARE_ROWS }, () => ({ description: '', quantity: 1, unit_price: '' }))
      )
    return ctx.view.render('pages/billing/invoices/form', {
      section: 'invoices',
      invoice,
      values: {
        ...values,
        lines,
        discount: values.discount ? majorAmountText(values.discount, currency) : '',
      },
      currency,
      billing: ctx.tenant.billing,
      customers: await this.customers.pickable(ctx.tenant.id),
    })
  }

  #actor(ctx: HttpContext) {
    return { by: ctx.auth.user!, ip: ctx.request.ip() }
  }

  #done(ctx: HttpContext, invoice: Invoice, message: string) {
    ctx.session.flash('success', ctx.i18n.t(message, { number: invoice.label }))
    return ctx.response.redirect().toRoute('invoices.show', { id: invoice.id })
  }
}

function inputOf(input: {
  customer_id?: number
  bill_to_name?: string
  bill_to_phone?: string
  bill_to_email?: string
  bill_to_address?: string
  lines: { description: string; quantity: number; unit_price: number }[]
  discount?: number
  notes?: string
}): InvoiceInput {
  return {
    customerId: input.customer_id ?? null,
    billToName: input.bill_to_name ?? null,
    billToPhone: input.bill_to_phone ?? null,
    billToEmail: input.bill_to_email ?? null,
    billToAddress: input.bill_to_address ?? null,
    lines: input.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unit_price,
    })),
    discount: input.discount ?? 0,
    notes: input.notes ?? null,
  }
}
