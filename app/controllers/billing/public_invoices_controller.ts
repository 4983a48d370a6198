import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Invoice from '#models/invoice'
import Tenant from '#models/tenant'
import InvoiceFiles from '#services/billing/invoice_files'
import { amountInWords } from '#services/billing/invoice_math'
import { isOverdue } from '#services/billing/invoice_state_machine'
import { useVisitorLocale } from '#middleware/locale_middleware'
import clock from '#support/clock'

/** Statuses a customer's link shows; a draft or one waiting for approval is nobody's business yet. */
const PUBLIC_STATUSES = ['approved', 'sent', 'paid', 'void']

/**
 * The customer's invoice page `/i/:token` (no login; the token is the secret): the invoice, its
 * status, and its PDF.
 */
@inject()
export default class PublicInvoicesController {
  constructor(protected files: InvoiceFiles) {}

  async show(ctx: HttpContext) {
    const invoice = await this.#find(ctx)
    const tenant = await Tenant.findOrFail(invoice.tenantId)
    useVisitorLocale(ctx, invoice.locale ?? tenant.locale)
    await invoice.load('lines')
    return ctx.view.render('pages/billing/public_invoice', {
      invoice,
      tenant,
      billing: tenant.billing,
      words: amountInWords(invoice.total, invoice.currency),
      overdue: isOverdue(invoice, clock.now().toISODate()!),
    })
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
