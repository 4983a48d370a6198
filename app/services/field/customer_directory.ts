import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Customer from '#models/customer'
import Branch from '#models/branch'
import DomainError from '#exceptions/domain_error'
import Configuration from '#services/platform/configuration'
import type { Actor } from '#services/platform/audit_trail'
import { isUniqueViolation } from '#support/database'
import { withoutWildcards } from '#support/sql'
import { countryOfTimezone, normalizePhone } from '#support/phone'
import type { CustomerSource, CustomerStatus } from '#enums/field'

/** A customer as a form, the API or an import row describes it; the phone as typed. */
export interface CustomerInput {
  name: string
  phone?: string | null
  address?: string | null
  notes?: string | null
  locale?: string | null
}

export interface CustomerFilter {
  q?: string | null
  status?: CustomerStatus | null
  source?: CustomerSource | null
  page?: number
  perPage?: number
}

/** Page size of the customer list. */
export const CUSTOMERS_PER_PAGE = 25

/**
 * The tenant's customers (seed 003, MDM): added by CS, imported from a CSV, or registered by the
 * customer's own WhatsApp message. A phone number, stored in E.164, names one customer per
 * tenant. Deleting is deactivating: the customer leaves the pickers and keeps their jobs.
 * Changes made by staff are in the audit log.
 */
@inject()
export default class CustomerDirectory {
  constructor(protected configuration: Configuration) {}

  /** The tenant's country for numbers typed with a leading 0 (its first branch's zone). */
  async countryOf(tenantId: number) {
    const branch = await Branch.forTenant(tenantId).orderBy('id').select('timezone').first()
    return countryOfTimezone(branch?.timezone ?? 'Asia/Jakarta')
  }

  /** `input`'s phone in E.164, null when none was given; a 422 when it is not a phone number. */
  async phoneOf(tenantId: number, phone: string | null | undefined) {
    if (!phone?.trim()) return null
    const normalized = normalizePhone(phone, await this.countryOf(tenantId))
    if (!normalized) throw new DomainError('invalid_phone', {}, 422)
    return normalized
  }

  async add(tenantId: number, input: CustomerInput, source: CustomerSource, actor: Actor) {
    const phone = await this.phoneOf(tenantId, input.phone)
    await this.#assertPhoneFree(tenantId, phone, null)
    try {
      return await this.configuration.create(
        Customer,
        { tenantId, ...fieldsOf(input), phone, status: 'active', source },
        { subject: 'customer', tenantId, branchId: null },
        actor
      )
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('customer_phone_taken', {}, 409)
      throw error
    }
  }

  async change(customer: Customer, input: CustomerInput, actor: Actor) {
    const phone = await this.phoneOf(customer.tenantId, input.phone)
    await this.#assertPhoneFree(customer.tenantId, phone, customer.id)
    try {
      return await this.configuration.update(
        customer,
        { ...fieldsOf(input), phone },
        { subject: 'customer', tenantId: customer.tenantId, branchId: null },
        actor
      )
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('customer_phone_taken', {}, 409)
      throw error
    }
  }

  /** Soft delete: inactive, hidden from the pickers, history kept. Reactivating brings it back. */
  async setActive(customer: Customer, active: boolean, actor: Actor) {
    return this.configuration.update(
      customer,
      { status: active ? 'active' : 'inactive' },
      { subject: 'customer', tenantId: customer.tenantId, branchId: null },
      actor,
      { action: active ? 'reactivated' : 'deactivated' }
    )
  }

  /** The customer list: searched by name, phone or address, filtered, newest first, paginated. */
  list(tenantId: number, filter: CustomerFilter) {
    return this.query(tenantId, filter).paginate(
      filter.page ?? 1,
      filter.perPage ?? CUSTOMERS_PER_PAGE
    )
  }

  /** The list's query without paging (the CSV export streams it). */
  query(tenantId: number, filter: CustomerFilter) {
    const query = Customer.forTenant(tenantId).orderBy('id', 'desc')
    if (filter.status) query.where('status', filter.status)
    if (filter.source) query.where('source', filter.source)
    const q = filter.q?.trim()
    if (q) {
      const like = `%${withoutWildcards(q)}%`
      const digits = q.replace(/\D/g, '')
      query.where((where) => {
        where.where('name', 'like', like).orWhere('address', 'like', like)
        if (digits.length >= 3) where.orWhere('phone', 'like', `%${digits.replace(/^0/, '')}%`)
      })
    }
    return query
  }

  /** Active customers for a job's picker, by name. */
  pickable(tenantId: number) {
    return Customer.forTenant(tenantId)
      .where('status', 'active')
      .orderBy('name')
      .select('id', 'name', 'phone', 'address')
  }

  /**
   * Creates or updates the customer with `phone` from their own message or an import row, in the
   * caller's transaction (no audit entry: nobody on the staff did it). A returning inactive
   * customer becomes active again. What the input leaves empty (an import row without notes or
   * address, a message that cannot know the language) keeps what was stored.
   */
  async upsertByPhone(
    trx: TransactionClientContract,
    tenantId: number,
    phone: string,
    input: CustomerInput,
    source: CustomerSource
  ) {
    const existing = await Customer.forTenant(tenantId, { client: trx })
      .where('phone', phone)
      .first()
    return this.#upsert(trx, tenantId, existing, phone, input, source)
  }

  /**
   * The same for a customer without a phone (an import row that has none): matched by the same
   * name and address among the tenant's customers without a phone, so that importing the same
   * file again creates nobody new. (MySQL's collation also matches them in another case; SQLite
   * only as written.)
   */
  async upsertByNameAndAddress(
    trx: TransactionClientContract,
    tenantId: number,
    input: CustomerInput,
    source: CustomerSource
  ) {
    const fields = fieldsOf(input)
    const query = Customer.forTenant(tenantId, { client: trx })
      .whereNull('phone')
      .where('name', fields.name)
    if (fields.address) query.where('address', fields.address)
    else query.whereNull('address')
    const existing = await query.orderBy('id').first()
    return this.#upsert(trx, tenantId, existing, null, input, source)
  }

  async #upsert(
    trx: TransactionClientContract,
    tenantId: number,
    existing: Customer | null,
    phone: string | null,
    input: CustomerInput,
    source: CustomerSource
  ) {
    const fields = fieldsOf(input)
    if (existing) {
      existing.merge({
        name: fields.name,
        address: fields.address ?? existing.address,
        notes: fields.notes ?? existing.notes,
        locale: fields.locale ?? existing.locale,
        status: 'active',
      })
      await existing.useTransaction(trx).save()
      return { customer: existing, created: false }
    }
    const customer = await Customer.create(
      { tenantId, ...fields, phone, status: 'active', source },
      { client: trx }
    )
    return { customer, created: true }
  }

  async #assertPhoneFree(tenantId: number, phone: string | null, exceptId: number | null) {
    if (!phone) return
    const query = Customer.forTenant(tenantId).where('phone', phone)
    if (exceptId) query.whereNot('id', exceptId)
    if (await query.first()) throw new DomainError('customer_phone_taken', {}, 409)
  }
}

function fieldsOf(input: CustomerInput) {
  return {
    name: input.name.trim(),
    address: input.address?.trim() || null,
    notes: input.notes?.trim() || null,
    locale: input.locale ?? null,
  }
}
