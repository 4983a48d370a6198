import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Customer from '#models/customer'
import CustomerDirectory from '#services/field/customer_directory'
import { customerResource } from '#services/platform/api_resources'
import {
  apiCustomerChangeValidator,
  apiCustomerListValidator,
  apiCustomerValidator,
} from '#validators/field_api'
import { keyActor } from '#controllers/field/api/key_actor'

/**
 * `/api/v1/customers`: the business's field-service customers (seed 003, MDM) for another system
 * (a CRM, a web form): list and search them, add one (source `manual`, as CS would), change one,
 * deactivate one (a soft delete: its jobs keep it). Each change is in the audit log, under the
 * key's creator.
 */
@inject()
export default class CustomersController {
  constructor(protected customers: CustomerDirectory) {}

  /** `GET /customers?q=&status=&source=&page=&per_page=`: newest first. */
  async index({ request, tenant }: HttpContext) {
    const filter = await request.validateUsing(apiCustomerListValidator)
    const page = await this.customers.list(tenant.id, {
      q: filter.q,
      status: filter.status,
      source: filter.source,
      page: filter.page,
      perPage: filter.per_page,
    })
    return {
      data: page.all().map(customerResource),
      meta: {
        total: page.total,
        page: page.currentPage,
        per_page: page.perPage,
        last_page: page.lastPage,
      },
    }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(apiCustomerValidator)
    const customer = await this.customers.add(ctx.tenant.id, input, 'manual', await keyActor(ctx))
    return ctx.response.created(customerResource(customer))
  }

  async show({ params, tenant }: HttpContext) {
    return customerResource(await Customer.findForTenantOrFail(tenant, params.id))
  }

  /** Only the fields sent change; the others keep their value. */
  async update(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(apiCustomerChangeValidator)
    const customer = await Customer.findForTenantOrFail(ctx.tenant, ctx.params.id)
    const changed = await this.customers.change(
      customer,
      {
        name: input.name ?? customer.name,
        phone: input.phone === undefined ? customer.phone : input.phone,
        address: input.address === undefined ? customer.address : input.address,
        notes: input.notes === undefined ? customer.notes : input.notes,
        locale: input.locale === undefined ? customer.locale : input.locale,
      },
      await keyActor(ctx)
    )
    return customerResource(changed)
  }

  /** Soft delete: inactive, out of the pickers; deactivating twice changes nothing more. */
  async deactivate(ctx: HttpContext) {
    const customer = await Customer.findForTenantOrFail(ctx.tenant, ctx.params.id)
    return customerResource(await this.customers.setActive(customer, false, await keyActor(ctx)))
  }
}
