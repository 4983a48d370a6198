import { Readable } from 'node:stream'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Customer from '#models/customer'
import Job from '#models/job'
import CustomerDirectory, { type CustomerInput } from '#services/field/customer_directory'
import CustomerExport from '#services/field/customer_export'
import {
  CUSTOMER_LOCALES,
  customerFilterValidator,
  customerMessages,
  customerValidator,
} from '#validators/field_customers'
import { actorOf, filledQuery } from '#controllers/scope'
import { CUSTOMER_SOURCES, CUSTOMER_STATUSES } from '#enums/field'

/** The most jobs a customer's page lists (newest first). */
const JOBS_SHOWN = 50

/**
 * The tenant's customers (seed 003, MDM) for dispatchers and sales: the list (searched, filtered,
 * 25 a page), adding and editing, a customer's page with their visit jobs, deactivating (a soft
 * delete: hidden from the job form's picker, history kept) and reactivating, and the list as a
 * CSV file. Another tenant's customer answers 404.
 */
@inject()
export default class CustomersController {
  constructor(
    protected customers: CustomerDirectory,
    protected exporter: CustomerExport
  ) {}

  async index(ctx: HttpContext) {
    const filter = await this.#filter(ctx)
    const page = await this.customers.list(ctx.tenant.id, filter)
    page.baseUrl(ctx.request.url())
    page.queryString({ ...filledQuery(ctx), page: undefined })
    return ctx.view.render('pages/field/customers/index', {
      section: 'field_customers',
      filter,
      page,
      statuses: CUSTOMER_STATUSES,
      sources: CUSTOMER_SOURCES,
      exportQuery: { ...filledQuery(ctx), page: undefined },
    })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/field/customers/form', {
      section: 'field_customers',
      customer: null,
      locales: CUSTOMER_LOCALES,
    })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(customerValidator, {
      messagesProvider: customerMessages(ctx.i18n),
    })
    const customer = await this.customers.add(ctx.tenant.id, inputOf(input), 'manual', actorOf(ctx))
    ctx.session.flash('success', ctx.i18n.t('customers.flash.created', { name: customer.name }))
    return ctx.response.redirect().toRoute('field.customers.show', { id: customer.id })
  }

  async show(ctx: HttpContext) {
    const customer = await Customer.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    // Jobs of the branches this member of staff works in: the others' pages would answer 403.
    const jobs = await Job.forTenant(ctx.tenant)
      .where('customer_id', customer.id)
      .whereIn(
        'branch_id',
        ctx.branches.map((branch) => branch.id)
      )
      .orderBy('id', 'desc')
      .limit(JOBS_SHOWN)
    return ctx.view.render('pages/field/customers/show', {
      section: 'field_customers',
      customer,
      jobs,
      jobsShown: JOBS_SHOWN,
    })
  }

  async edit(ctx: HttpContext) {
    const customer = await Customer.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    return ctx.view.render('pages/field/customers/form', {
      section: 'field_customers',
      customer,
      locales: CUSTOMER_LOCALES,
    })
  }

  async update(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(customerValidator, {
      messagesProvider: customerMessages(ctx.i18n),
    })
    const customer = await Customer.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    await this.customers.change(customer, inputOf(input), actorOf(ctx))
    return this.#done(ctx, customer, 'customers.flash.updated')
  }

  /** Soft delete: inactive, out of the job form's picker; their jobs stay. */
  async deactivate(ctx: HttpContext) {
    const customer = await Customer.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    await this.customers.setActive(customer, false, actorOf(ctx))
    return this.#done(ctx, customer, 'customers.flash.deactivated')
  }

  async reactivate(ctx: HttpContext) {
    const customer = await Customer.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    await this.customers.setActive(customer, true, actorOf(ctx))
    return this.#done(ctx, customer, 'customers.flash.reactivated')
  }

  /** Every customer the list's filters match, as CSV, streamed chunk by chunk. */
  async export(ctx: HttpContext) {
    const filter = await this.#filter(ctx)
    const date = ctx.branch.today()
    ctx.response
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${ctx.i18n.t('customers.export.file_name')}-${date}.csv"`
      )
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
    ctx.response.stream(
      Readable.from(this.exporter.csv(ctx.tenant.id, filter, ctx.branch.timezone))
    )
  }

  async #filter(ctx: HttpContext) {
    const filter = await customerFilterValidator.validate(filledQuery(ctx), {
      messagesProvider: customerMessages(ctx.i18n),
    })
    return {
      q: filter.q ?? null,
      status: filter.status ?? null,
      source: filter.source ?? null,
      page: filter.page ?? 1,
    }
  }

  #done(ctx: HttpContext, customer: Customer, message: string) {
    ctx.session.flash('success', ctx.i18n.t(message, { name: customer.name }))
    return ctx.response.redirect().toRoute('field.customers.show', { id: customer.id })
  }
}

function inputOf(input: {
  name: string
  phone?: string
  address?: string
  notes?: string
  locale?: string
}): CustomerInput {
  return {
    name: input.name,
    phone: input.phone ?? null,
    address: input.address ?? null,
    notes: input.notes ?? null,
    locale: input.locale ?? null,
  }
}
