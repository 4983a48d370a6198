import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Invoice from '#models/invoice'
import Tenant from '#models/tenant'
import InvoiceFiles from '#services/billing/invoice_files'
import Payments, { gatewayName } from '#services/payments/payments'
import { amountInWords } from '#services/billing/invoice_math'
import { PAYABLE_INVOICE_STATUSES, isOverdue } from '#services/billing/invoice_state_machine'
import { useVisitorLocale } from '#middleware/locale_middleware'
import clock from '#support/clock'

/** Statuses a customer's link shows; a draft or one waiting for approval is nobody's business yet. */
const PUBLIC_STATUSES = ['approved', 'sent', 'paid', 'void']

/**
 * The customer's invoice page `/i/:token` (no login; the token is the secret): the invoice, its
 * status, its PDF, and a pay button while it is unpaid and the tenant takes payments through a
 * gateway (Midtrans or Xendit), which goes to the gateway's payment page.
 */
@inject()
export default class PublicInvoicesController {
  constructor(
    protected files: InvoiceFiles,
    protected payments: Payments
  ) {}

  async show(ctx: HttpContext) {
    const invoice = await this.#find(ctx)
    const tenant = await Tenant.findOrFail(invoice.tenantId)
    useVisitorLocale(ctx, invoice.locale ?? tenant.locale)
    await invoice.load('lines')
    const account = PAYABLE_INVOICE_STATUSES.includes(invoice.status)
      ? await this.payments.activeAccount(tenant)
      : null
    return ctx.view.render('pages/billing/public_invoice', {
      gateway: account ? gatewayName(account.provider) : null,
      invoice,
      tenant,
      billing: tenant.billing,
      words: amountInWords(invoice.total, invoice.currency),
      overdue: isOverdue(invoice, clock.now().toISODate()!),
    })
  }

  /** To the gateway's payment page of the invoice (made on the first press, reused after). */
  async pay(ctx: HttpContext) {
    const invoice = await this.#find(ctx)
    const tenant = await Tenant.findOrFail(invoice.tenantId)
    useVisitorLocale(ctx, invoice.locale ?? tenant.locale)
    return ctx.response.redirect(await this.payments.ensureInvoiceLink(invoice))
  }

  async pdf(ctx: HttpContext) {
    const invoice = await this.#find(ctx)
    return this.files.sendPdf(ctx.response, invoice, {
      download: ctx.request.qs().download === '1',
    })
  }

  #find(ctx: HttpContext) {
    return Invoice.query()
      .where('token', String(ctx.params.token ?? ''))
      .whereIn('status', PUBLIC_STATUSES)
      .firstOrFail()
  }
}
