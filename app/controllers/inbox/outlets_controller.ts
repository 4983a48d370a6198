import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Outlet from '#models/outlet'
import OutletDirectory, { LINKS_SHOWN, type OutletInput } from '#services/inbox/outlet_directory'
import {
  outletLinkValidator,
  outletMessages,
  outletSearchValidator,
  outletValidator,
} from '#validators/inbox'
import { actorOf, filledQuery } from '#controllers/scope'
import { OUTLET_STATUSES } from '#enums/inbox'

/**
 * The business's outlets for inbox managers and CS (the route group's `manageOutlets`): the list
 * searched by fid, oid, name or phone, 25 a page; adding and editing (fid/oid once per tenant);
 * an outlet's page with the contacts who speak for it, where a contact is linked by the phone
 * they write from, or unlinked. Another tenant's outlet answers 404.
 */
@inject()
export default class OutletsController {
  constructor(protected outlets: OutletDirectory) {}

  async index(ctx: HttpContext) {
    const filter = await outletSearchValidator.validate(filledQuery(ctx), {
      messagesProvider: outletMessages(ctx.i18n),
    })
    const page = await this.outlets.search(ctx.tenant.id, filter.q, filter.page ?? 1)
    page.baseUrl(ctx.request.url())
    page.queryString({ ...filledQuery(ctx), page: undefined })
    return ctx.view.render('pages/inbox/outlets/index', {
      section: 'outlets',
      q: filter.q ?? '',
      page,
      today: ctx.branch.today(),
    })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/inbox/outlets/form', {
      section: 'outlets',
      outlet: null,
      statuses: OUTLET_STATUSES,
    })
  }

  async store(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(outletValidator, {
      meta: { tenantId: ctx.tenant.id },
      messagesProvider: outletMessages(ctx.i18n),
    })
    const outlet = await this.outlets.create(ctx.tenant, inputOf(data), actorOf(ctx))
    return this.#done(ctx, outlet, 'outlets.flash.created')
  }

  async show(ctx: HttpContext) {
    const outlet = await Outlet.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    const links = await this.outlets.contactsOf(outlet)
    return ctx.view.render('pages/inbox/outlets/show', {
      section: 'outlets',
      outlet,
      links,
      linksShown: LINKS_SHOWN,
      today: ctx.branch.today(),
    })
  }

  async edit(ctx: HttpContext) {
    const outlet = await Outlet.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    return ctx.view.render('pages/inbox/outlets/form', {
      section: 'outlets',
      outlet,
      statuses: OUTLET_STATUSES,
    })
  }

  async update(ctx: HttpContext) {
    const outlet = await Outlet.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    const data = await ctx.request.validateUsing(outletValidator, {
      meta: { tenantId: ctx.tenant.id, id: outlet.id },
      messagesProvider: outletMessages(ctx.i18n),
    })
    await this.outlets.update(outlet, inputOf(data), actorOf(ctx))
    return this.#done(ctx, outlet, 'outlets.flash.updated')
  }

  /** Links the contact who writes from the typed phone to this outlet (source `agent`). */
  async link(ctx: HttpContext) {
    const { phone } = await ctx.request.validateUsing(outletLinkValidator, {
      messagesProvider: outletMessages(ctx.i18n),
    })
    const outlet = await Outlet.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    const contact = await this.outlets.contactByPhone(ctx.tenant.id, phone)
    const { created } = await this.outlets.link(
      ctx.tenant.id,
      contact.id,
      outlet.id,
      ctx.auth.user!
    )
    ctx.session.flash(
      'success',
      ctx.i18n.t(created ? 'outlets.flash.linked' : 'outlets.flash.already_linked', {
        phone: contact.phone,
        name: outlet.name,
      })
    )
    return ctx.response.redirect().toRoute('outlets.show', { id: outlet.id })
  }

  async unlink(ctx: HttpContext) {
    const outlet = await Outlet.findForTenantOrFail(ctx.tenant.id, ctx.params.id)
    await this.outlets.unlink(
      ctx.tenant.id,
      Number(ctx.params.contactId),
      outlet.id,
      ctx.auth.user!
    )
    ctx.session.flash('success', ctx.i18n.t('outlets.flash.unlinked', { name: outlet.name }))
    return ctx.response.redirect().toRoute('outlets.show', { id: outlet.id })
  }

  #done(ctx: HttpContext, outlet: Outlet, message: string) {
    ctx.session.flash('success', ctx.i18n.t(message, { name: outlet.name }))
    return ctx.response.redirect().toRoute('outlets.show', { id: outlet.id })
  }
}

function inputOf(data: {
  fid: string
  oid: string
  name: string
  address?: string
  phone?: string
  expires_on?: string
  status?: OutletInput['status']
}): OutletInput {
  return {
    fid: data.fid,
    oid: data.oid,
    name: data.name,
    address: data.address ?? null,
    phone: data.phone ?? null,
    expiresOn: data.expires_on ?? null,
    status: data.status,
  }
}
