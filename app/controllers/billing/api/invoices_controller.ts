import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Branch from '#models/branch'
import Customer from '#models/customer'
import Invoice from '#models/invoice'
import InvoiceBook from '#services/billing/invoice_book'
import { invoiceResource } from '#services/platform/api_resources'
import { apiInvoiceListValidator } from '#validators/billing'
import { INVOICES_PER_PAGE } from '#services/billing/invoice_book'

/**
 * `/api/v1/invoices` (read only): the business's invoices with the staff list's filters (status or
 * `overdue`, customer, month issued, number or name, branch), and one invoice with its lines.
 * Writing invoices stays with CS and sales in the app, where every step has its approval.
 */
@inject()
export default class InvoicesController {
  constructor(protected book: InvoiceBook) {}

  /** `GET /invoices?status=&customer_id=&month=&q=&branch_id=&page=&per_page=` */
  async index({ request, tenant }: HttpContext) {
    const filter = await request.validateUsing(apiInvoiceListValidator)
    const branch = filter.branch_id
      ? await Branch.findForTenantOrFail(tenant, filter.branch_id)
      : await Branch.forTenant(tenant.id).orderBy('id').firstOrFail()
    if (filter.customer_id) await Customer.findForTenantOrFail(tenant, filter.customer_id)
    const page = await this.book
      .query(
        tenant.id,
        filter.branch_id ? [branch.id] : null,
        { status: filter.status, customerId: filter.customer_id, month: filter.month, q: filter.q },
        branch.today()
      )
      .preload('lines', (lines) => lines.orderBy('position'))
      .orderBy('id', 'desc')
      .paginate(filter.page ?? 1, filter.per_page ?? INVOICES_PER_PAGE)
    return {
      data: page.all().map(invoiceResource),
      meta: {
        total: page.total,
        page: page.currentPage,
        per_page: page.perPage,
        last_page: page.lastPage,
      },
    }
  }

  /** `GET /invoices/:id` */
  async show({ params, tenant }: HttpContext) {
    const invoice = await Invoice.findForTenantOrFail(tenant, params.id)
    await invoice.load('lines', (lines) => lines.orderBy('position'))
    return invoiceResource(invoice)
  }
}
