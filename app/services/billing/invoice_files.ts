import type { Response } from '@adonisjs/core/http'
import type Invoice from '#models/invoice'
import Tenant from '#models/tenant'
import { renderInvoicePdf, type InvoiceDocument } from '#services/billing/invoice_pdf'
import { amountInWords } from '#services/billing/invoice_math'
import { invoiceUrl } from '#services/billing/billing_messaging'

/**
 * An invoice as a PDF file: its lines and totals as stored, the tenant's letterhead and payment
 * instructions as they are now, in the customer's language.
 */
export default class InvoiceFiles {
  async document(invoice: Invoice): Promise<InvoiceDocument> {
    const tenant = await Tenant.findOrFail(invoice.tenantId)
    await invoice.load('lines')
    const billing = tenant.billing
    return {
      locale: invoice.locale ?? tenant.locale,
      seller: {
        name: tenant.name,
        legalName: billing.legalName,
        address: billing.address,
        taxId: billing.taxId,
        logo:
          tenant.logoData && tenant.logoMime
            ? { data: Buffer.from(tenant.logoData, 'base64'), mime: tenant.logoMime }
            : null,
        brandColor: tenant.brandColor,
      },
      number: invoice.label,
      status: invoice.status,
      issuedOn: invoice.issuedOn,
      dueOn: invoice.dueOn,
      paidOn: invoice.paidOn,
      currency: invoice.currency,
      billTo: {
        name: invoice.billToName,
        phone: invoice.billToPhone,
        email: invoice.billToEmail,
        address: invoice.billToAddress,
      },
      lines: invoice.lines.map((line) => ({
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        amount: line.amount,
      })),
      subtotal: invoice.subtotal,
      discount: invoice.discount,
      taxBase: invoice.taxBase,
      tax: invoice.tax,
      total: invoice.total,
      taxMode: invoice.taxMode,
      taxRateBp: invoice.taxRateBp,
      pricesIncludeTax: invoice.pricesIncludeTax,
      amountInWords: amountInWords(invoice.total, invoice.currency),
      paymentInstructions: billing.paymentInstructions,
      notes: invoice.notes,
      publicUrl: invoiceUrl(invoice),
    }
  }

  async pdf(invoice: Invoice) {
    return renderInvoicePdf(await this.document(invoice))
  }

  /** Answers with the PDF, shown in the browser or (`download`) saved under the invoice's number. */
  async sendPdf(response: Response, invoice: Invoice, options: { download?: boolean } = {}) {
    const bytes = await this.pdf(invoice)
    const name = `${invoice.label.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '')}.pdf`
    response
      .header('content-type', 'application/pdf')
      .header(
        'content-disposition',
        `${options.download ? 'attachment' : 'inline'}; filename="${name}"`
      )
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
    return response.send(bytes)
  }
}
