import { urlToken } from '#support/secrets'
import i18nManager from '@adonisjs/i18n/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Branch from '#models/branch'
import Counter from '#models/counter'
import Device, { type DeviceKind } from '#models/device'
import Service from '#models/service'
import Tenant from '#models/tenant'
import type { TenantRef } from '#models/mixins/tenant_owned'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import branchDirectory from '#services/platform/branch_directory'
import CounterDesk from '#services/queue/counter_desk'
import ServiceCatalog from '#services/queue/service_catalog'
import liveVersion from '#support/live_version'
import { absoluteUrl, qrSvg } from '#support/urls'
import { hasRowLocks, withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'

export interface SetupForm {
  /** The business's name as visitors read it. */
  name: string
  /** Service names, one per service, already trimmed and without repeats. */
  services: string[]
  /** How many counters the branch should have. */
  counters: number
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')

/**
 * Ticket codes for new services: each name's first free letter (the initials of its words first,
 * then its other letters), else the first free of A, B, C...; two letters once all 26 are taken.
 * "Poli Umum", "Poli Gigi", "Farmasi" get P, G, F: a visitor holding G012 can tell which queue.
 */
export function chooseCodes(names: string[], taken: Iterable<string>) {
  const used = new Set([...taken].map((code) => code.toUpperCase()))
  const pairs = ALPHABET.flatMap((first) => ALPHABET.map((second) => first + second))
  return names.map((name) => {
    const plain = name.normalize('NFD').toUpperCase()
    const words = plain.split(/[^A-Z]+/).filter(Boolean)
    const letters = [...words.map((word) => word[0]), ...words.join('').split('')]
    const code = [...letters, ...ALPHABET, ...pairs].find((candidate) => !used.has(candidate))!
    used.add(code)
    return code
  })
}

/**
 * The first run of a new business, on one page: its name, its services by name, how many
 * counters; then everything a first day needs is made in one transaction (services with codes
 * and the usual defaults, counters serving every service, a TV display and a kiosk), and the
 * handover page gives the QR poster, the TV's link and the way into the counter console.
 * Submitting it again adds only what is missing.
 */
@inject()
export default class FirstRunSetup {
  constructor(
    protected serviceCatalog: ServiceCatalog,
    protected counterDesk: CounterDesk,
    protected auditTrail: AuditTrail
  ) {}

  /** A tenant without any service has not been set up: its owner starts on the setup page. */
  async needed(tenant: TenantRef) {
    return !(await Service.forTenant(tenant).select('id').first())
  }

  /** What the form starts from: the branch's services and counters so far. */
  async current(tenant: Tenant, branch: Branch) {
    const services = await Service.forTenant(tenant)
      .where('branch_id', branch.id)
      .orderBy('position')
    const counters = await Counter.forTenant(tenant).where('branch_id', branch.id)
    return { services, counterCount: counters.length }
  }

  async apply(tenant: Tenant, branch: Branch, form: SetupForm, actor: Actor) {
    const made = await withTransaction(async (trx) => {
      // Two submits at once (a double click) wait for each other here, so neither duplicates.
      const locked = Tenant.query({ client: trx }).where('id', tenant.id)
      const row = await (hasRowLocks(trx) ? locked.forUpdate() : locked).firstOrFail()
      if (row.name !== form.name) {
        await this.auditTrail.record(
          {
            action: 'tenant.updated',
            tenantId: tenant.id,
            subject: { type: 'tenant', id: tenant.id },
            changes: { name: [row.name, form.name] },
          },
          actor,
          trx
        )
        row.name = form.name
        await row.useTransaction(trx).save()
      }

      const services = await this.addServices(trx, tenant, branch, form.services, actor)
      const counters = await this.addCounters(trx, tenant, branch, form.counters, services, actor)
      const devices = await this.addDevices(trx, tenant, branch, actor)
      await this.auditTrail.record(
        {
          action: 'setup.completed',
          tenantId: tenant.id,
          branchId: branch.id,
          subject: { type: 'branch', id: branch.id },
          changes: {
            services: services.added.map((service) => `${service.code} ${service.name}`),
            counters: counters.map((counter) => counter.name),
            devices: devices.map((device) => device.kind),
          },
        },
        actor,
        trx
      )
      return { services: services.added, counters, devices }
    })
    tenant.name = form.name
    branchDirectory.forget({ tenantId: tenant.id })
    await liveVersion.bump(branch.id)
    return made
  }

  /** Everything the handover page shows: the poster's QR code, the TV's link and QR code, the counter to start at. */
  async handover(tenant: Tenant, branch: Branch) {
    const visitorUrl = absoluteUrl('visitor.branch', { slug: branch.slug })
    const display = await Device.forTenant(tenant)
      .where('branch_id', branch.id)
      .where('kind', 'display')
      .orderBy('id')
      .first()
    const displayUrl = display ? absoluteUrl('display.show', { token: display.token }) : null
    const counter = await Counter.forTenant(tenant)
      .where('branch_id', branch.id)
      .where('is_active', true)
      .whereNull('operator_id')
      .orderBy('position')
      .first()
    const served = counter
      ? ((await this.counterDesk.servicesByCounter(branch.id)).get(counter.id) ?? [])
      : []
    return {
      visitorUrl,
      posterSvg: await qrSvg(visitorUrl, 1),
      display,
      displayUrl,
      displaySvg: displayUrl ? await qrSvg(displayUrl, 1) : null,
      counter: served.length ? counter : null,
      servedIds: served,
    }
  }

  /** The named services the branch lacks (by name, in any case), with codes chosen for them; and all its active services. */
  private async addServices(
    trx: TransactionClientContract,
    tenant: Tenant,
    branch: Branch,
    names: string[],
    actor: Actor
  ) {
    const existing = await Service.forTenant(tenant, { client: trx })
      .where('branch_id', branch.id)
      .orderBy('position')
    const known = new Set(existing.map((service) => service.name.toLowerCase()))
    const fresh = names.filter((name) => !known.has(name.toLowerCase()))
    const codes = chooseCodes(
      fresh,
      existing.map((service) => service.code)
    )
    const added: Service[] = []
    for (const [index, name] of fresh.entries()) {
      added.push(
        await this.serviceCatalog.addWithin(trx, branch, { code: codes[index], name }, actor)
      )
    }
    return { added, all: [...existing.filter((service) => service.isActive), ...added] }
  }

  /**
   * Counters "Loket 1..n" up to `count`, each serving every service; counters already there keep
   * what they serve and also serve the services added now (otherwise nobody could call them).
   */
  private async addCounters(
    trx: TransactionClientContract,
    tenant: Tenant,
    branch: Branch,
    count: number,
    services: { added: Service[]; all: Service[] },
    actor: Actor
  ) {
    const existing = await Counter.forTenant(tenant, { client: trx })
      .where('branch_id', branch.id)
      .orderBy('position')
    for (const service of services.added) {
      await this.counterDesk.addServiceTo(existing, service, actor, trx)
    }

    const i18n = i18nManager.locale(tenant.locale)
    const names = new Set(existing.map((counter) => counter.name))
    const made: Counter[] = []
    let number = 0
    let position = Math.max(0, ...existing.map((counter) => counter.position))
    while (existing.length + made.length < count) {
      const name = i18n.t('ui.setup.counter_name', { number: ++number })
      if (names.has(name)) continue
      const counter = await Counter.create(
        { tenantId: tenant.id, branchId: branch.id, name, position: ++position, isActive: true },
        { client: trx }
      )
      await this.auditTrail.record(
        {
          action: 'counter.created',
          tenantId: tenant.id,
          branchId: branch.id,
          subject: { type: 'counter', id: counter.id },
          changes: { name, position },
        },
        actor,
        trx
      )
      await this.counterDesk.assignServices(counter, services.all, actor, trx)
      made.push(counter)
    }
    return made
  }

  /** A TV display and a kiosk for the branch, unless it has one of that kind already. */
  private async addDevices(
    trx: TransactionClientContract,
    tenant: Tenant,
    branch: Branch,
    actor: Actor
  ) {
    const i18n = i18nManager.locale(tenant.locale)
    const made: Device[] = []
    for (const kind of ['display', 'kiosk'] as DeviceKind[]) {
      const present = await Device.forTenant(tenant, { client: trx })
        .where('branch_id', branch.id)
        .where('kind', kind)
        .first()
      if (present) continue
      const name = i18n.t(`ui.setup.device_names.${kind}`)
      const device = await Device.create(
        {
          tenantId: tenant.id,
          branchId: branch.id,
          kind,
          name,
          token: urlToken(),
        },
        { client: trx }
      )
      await this.auditTrail.record(
        {
          action: 'device.created',
          tenantId: tenant.id,
          branchId: branch.id,
          subject: { type: 'device', id: device.id },
          changes: { kind, name },
        },
        actor,
        trx
      )
      made.push(device)
    }
    return made
  }
}
