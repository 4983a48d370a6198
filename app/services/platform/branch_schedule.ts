import type Branch from '#models/branch'
import BranchHour from '#models/branch_hour'
import Holiday from '#models/holiday'
import DomainError from '#exceptions/domain_error'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import Configuration from '#services/platform/configuration'
import branchDirectory from '#services/platform/branch_directory'
import liveVersion from '#support/live_version'
import { withTransaction } from '#support/database'
import type { WeeklyHours } from '#services/platform/opening_hours'
import { inject } from '@adonisjs/core'
import { isUniqueViolation } from '#support/database'

/** A branch's opening hours and holidays. Outside them visitors are told when it opens. */
@inject()
export default class BranchSchedule {
  constructor(
    protected auditTrail: AuditTrail,
    protected configuration: Configuration
  ) {}

  hoursOf(branch: Branch) {
    return BranchHour.query().where('branch_id', branch.id).orderBy('weekday')
  }

  holidaysOf(branch: Branch) {
    return Holiday.query()
      .where('branch_id', branch.id)
      .where('date', '>=', branch.today())
      .orderBy('date')
  }

  /** The week as the settings form sends it: the days ticked open, each with both times (else 422). */
  async saveWeek(
    branch: Branch,
    days: {
      weekday: number
      open?: boolean
      opens_at?: string | null
      closes_at?: string | null
    }[],
    actor: Actor
  ) {
    const open = days.filter((day) => day.open)
    if (open.some((day) => !day.opens_at || !day.closes_at))
      throw new DomainError('invalid_hours', {}, 422)
    return this.saveHours(
      branch,
      open.map((day) => ({
        weekday: day.weekday,
        opensAt: day.opens_at!,
        closesAt: day.closes_at!,
      })),
      actor
    )
  }

  /** Replaces the weekly hours; no open day at all means open around the clock. */
  async saveHours(branch: Branch, days: WeeklyHours[], actor: Actor) {
    for (const day of days) {
      if (day.opensAt >= day.closesAt) throw new DomainError('invalid_hours', {}, 422)
    }
    await withTransaction(async (trx) => {
      const before = await BranchHour.query({ client: trx })
        .where('branch_id', branch.id)
        .orderBy('weekday')
      await trx.from('branch_hours').where('branch_id', branch.id).delete()
      if (days.length) {
        await trx.table('branch_hours').multiInsert(
          days.map((day) => ({
            tenant_id: branch.tenantId,
            branch_id: branch.id,
            weekday: day.weekday,
            opens_at: day.opensAt,
            closes_at: day.closesAt,
          }))
        )
      }
      await this.auditTrail.record(
        {
          action: 'branch.hours_updated',
          tenantId: branch.tenantId,
          branchId: branch.id,
          subject: { type: 'branch', id: branch.id },
          changes: { hours: [before.map(describe), days.map(describe)] },
        },
        actor,
        trx
      )
    })
    await this.changed(branch)
  }

  /** A day the branch is closed; the same day twice (a double submit too) is a 422, not a second row. */
  async addHoliday(branch: Branch, date: string, name: string, actor: Actor) {
    try {
      await this.configuration.create(
        Holiday,
        { tenantId: branch.tenantId, branchId: branch.id, date, name },
        { subject: 'holiday', tenantId: branch.tenantId, branchId: branch.id },
        actor
      )
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('holiday_exists', { date }, 422)
      throw error
    }
    await this.changed(branch)
  }

  async removeHoliday(branch: Branch, holiday: Holiday, actor: Actor) {
    await this.configuration.remove(
      holiday,
      { subject: 'holiday', tenantId: branch.tenantId, branchId: branch.id },
      actor
    )
    await this.changed(branch)
  }

  private async changed(branch: Branch) {
    branchDirectory.forget({ branchId: branch.id })
    await liveVersion.bump(branch.id)
  }
}

function describe(day: WeeklyHours) {
  return `${day.weekday}:${day.opensAt}-${day.closesAt}`
}
