import Branch from '#models/branch'
import Service from '#models/service'
import BranchHour from '#models/branch_hour'
import Holiday from '#models/holiday'
import type Tenant from '#models/tenant'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import clock from '#support/clock'
import { openState, type WeeklyHours } from '#services/platform/opening_hours'

export interface BranchEntry {
  branch: Branch
  tenant: Tenant
  /** Active services, in the admin's order. */
  services: Service[]
  hours: WeeklyHours[]
  /** Holidays from today on (YYYY-MM-DD). */
  holidays: Set<string>
}

const TTL_MS = 5_000

/**
 * The public face of a branch (the branch, its tenant, its active services, its hours and
 * holidays), read on every visitor, kiosk and API request and cached for 5 s per server. Saving
 * a branch, tenant, service, hours or holiday forgets the entry at once on this server (model
 * hooks and the admin pages); other servers see the change within 5 s.
 */
class BranchDirectory {
  #byId = new Map<number, { entry: BranchEntry; expiresAt: number }>()
  #idsBySlug = new Map<string, number>()

  async bySlug(slug: string): Promise<BranchEntry | null> {
    const id = this.#idsBySlug.get(slug)
    const cached = id === undefined ? undefined : this.#byId.get(id)
    if (cached && cached.expiresAt > Date.now() && cached.entry.branch.slug === slug)
      return cached.entry
    const branch = await Branch.query().where('slug', slug).preload('tenant').first()
    return branch ? this.#load(branch) : null
  }

  /**
   * A branch's entry by id. A caller inside a transaction passes it as `client`: a missing entry is
   * then read through it (on SQLite a read outside would wait for the one connection it holds).
   */
  async byId(id: number, client?: QueryClientContract): Promise<BranchEntry | null> {
    const cached = this.#byId.get(id)
    if (cached && cached.expiresAt > Date.now()) return cached.entry
    const branch = await Branch.query({ client }).where('id', id).preload('tenant').first()
    return branch ? this.#load(branch, client) : null
  }

  /** Whether the branch (and `service`, if given) takes visitors now, and when it opens next. */
  openState(entry: BranchEntry, service: Service | null) {
    return openState(entry.hours, entry.holidays, service, entry.branch.localNow())
  }

  /** Forgets whatever is cached for a branch (by id) or a tenant's branches. */
  forget(match: { branchId?: number; tenantId?: number }) {
    for (const [id, { entry }] of this.#byId) {
      if (entry.branch.id === match.branchId || entry.tenant.id === match.tenantId)
        this.#byId.delete(id)
    }
  }

  async #load(branch: Branch, client?: QueryClientContract) {
    const [services, hours, holidays] = await Promise.all([
      Service.ofBranch(branch.id, { client }).where('is_active', true),
      BranchHour.query({ client }).where('branch_id', branch.id),
      Holiday.query({ client })
        .where('branch_id', branch.id)
        .where('date', '>=', clock.now().setZone(branch.timezone).toISODate()!),
    ])
    const entry: BranchEntry = {
      branch,
      tenant: branch.tenant,
      services,
      hours: hours.map(({ weekday, opensAt, closesAt }) => ({ weekday, opensAt, closesAt })),
      holidays: new Set(holidays.map((holiday) => holiday.date)),
    }
    if (this.#byId.size > 5_000) {
      this.#byId.clear()
      this.#idsBySlug.clear()
    }
    this.#byId.set(branch.id, { entry, expiresAt: Date.now() + TTL_MS })
    this.#idsBySlug.set(branch.slug, branch.id)
    return entry
  }
}

const branchDirectory = new BranchDirectory()
export default branchDirectory
