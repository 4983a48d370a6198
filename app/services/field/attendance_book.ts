import Attendance from '#models/attendance'
import JobAssignment from '#models/job_assignment'
import User from '#models/user'
import type Branch from '#models/branch'
import type Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import { isUniqueViolation } from '#support/database'

/** Where the technician's browser said they were, when it said so. */
export interface Position {
  latitude: number
  longitude: number
}

/** A technician's state today on the live board. */
export type PresenceState = 'not_yet' | 'absent' | 'checked_in' | 'late' | 'checked_out'

export interface PresenceRow {
  technician: User
  attendance: Attendance | null
  state: PresenceState
  /** The jobs they hold a place on that are not done, the one in progress first. */
  jobs: { id: number; code: string; title: string; status: string; started: boolean }[]
}

/** Minutes after midnight of `HH:MM`. */
function minutesOf(time: string) {
  const [hours, minutes] = time.split(':').map(Number)
  return hours * 60 + minutes
}

/**
 * Technicians' daily attendance (seed 003, EKD): check in and out once a day, in the branch's
 * day; a check-in after the tenant's start time and grace is late by the minutes past the start.
 * The location is stored only when the browser gave one. CS watch the live board.
 */
export default class AttendanceBook {
  async checkIn(tenant: Tenant, branch: Branch, technician: User, position: Position | null) {
    const now = clock.now()
    const local = now.setZone(branch.timezone)
    const settings = tenant.field
    const late = local.hour * 60 + local.minute - minutesOf(settings.workStartsAt)
    try {
      const attendance = await Attendance.create({
        tenantId: tenant.id,
        userId: technician.id,
        branchId: branch.id,
        workDate: local.toISODate()!,
        checkedInAt: now,
        lateMinutes: late > settings.lateGraceMinutes ? late : 0,
        inLatitude: position?.latitude ?? null,
        inLongitude: position?.longitude ?? null,
      })
      await liveVersion.bump(branch.id)
      return attendance
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('already_checked_in', {}, 409)
      throw error
    }
  }

  async checkOut(branch: Branch, technician: User, position: Position | null) {
    const today = await this.today(branch, technician)
    if (!today) throw new DomainError('not_checked_in', {}, 409)
    if (today.checkedOutAt) throw new DomainError('already_checked_out', {}, 409)
    today.merge({
      checkedOutAt: clock.now(),
      outLatitude: position?.latitude ?? null,
      outLongitude: position?.longitude ?? null,
    })
    await today.save()
    await liveVersion.bump(branch.id)
    return today
  }

  /** The technician's attendance of the branch's today, if they checked in. */
  today(branch: Branch, technician: User) {
    return Attendance.forTenant(technician.tenantId!)
      .where('user_id', technician.id)
      .where('work_date', branch.today())
      .first()
  }

  /** The technician's last days, newest first. */
  recent(technician: User, days = 14) {
    return Attendance.forTenant(technician.tenantId!)
      .where('user_id', technician.id)
      .orderBy('work_date', 'desc')
      .limit(days)
  }

  /**
   * Today's board of the branch's technicians: who checked in (late or not), who checked out,
   * who is absent (no check-in once the start time and grace have passed) and what each is on.
   */
  async board(tenant: Tenant, branch: Branch): Promise<PresenceRow[]> {
    const date = branch.today()
    const technicians = await User.forTenant(tenant.id)
      .where('role', 'technician')
      .where('is_active', true)
      .where((query) => query.whereNull('branch_id').orWhere('branch_id', branch.id))
      .orderBy('full_name')
    if (technicians.length === 0) return []
    const ids = technicians.map((technician) => technician.id)
    const [attendances, assignments] = await Promise.all([
      Attendance.forTenant(tenant.id).whereIn('user_id', ids).where('work_date', date),
      JobAssignment.forTenant(tenant.id)
        .whereIn('job_assignments.technician_id', ids)
        .whereNull('job_assignments.released_at')
        .whereNull('job_assignments.done_at')
        .join('jobs', 'jobs.id', 'job_assignments.job_id')
        .whereIn('jobs.status', ['open', 'assigned', 'in_progress'])
        .select(
          'job_assignments.technician_id',
          'job_assignments.started_at',
          'jobs.id as job_id',
          'jobs.code',
          'jobs.title',
          'jobs.status'
        ),
    ])
    const local = branch.localNow()
    const settings = tenant.field
    const pastStart =
      local.hour * 60 + local.minute > minutesOf(settings.workStartsAt) + settings.lateGraceMinutes
    return technicians.map((technician) => {
      const attendance = attendances.find((row) => row.userId === technician.id) ?? null
      const jobs = assignments
        .filter((row) => row.technicianId === technician.id)
        .map((row) => ({
          id: Number(row.$extras.job_id),
          code: String(row.$extras.code),
          title: String(row.$extras.title),
          status: String(row.$extras.status),
          started: !!row.startedAt,
        }))
        .sort((a, b) => Number(b.started) - Number(a.started))
      const state: PresenceState = attendance
        ? attendance.checkedOutAt
          ? 'checked_out'
          : attendance.lateMinutes > 0
            ? 'late'
            : 'checked_in'
        : pastStart
          ? 'absent'
          : 'not_yet'
      return { technician, attendance, state, jobs }
    })
  }
}
