import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import clock from '#support/clock'
import liveVersion from '#support/live_version'
import AttendanceBook, { type Position } from '#services/field/attendance_book'
import { readPoll } from '#validators/queue'
import { attendanceValidator } from '#validators/field'

/** The board is drawn again at least this often: "absent" follows from the clock alone. */
const REDRAW_MS = 60_000

/**
 * Attendance: a technician checks in and out (with the browser's location only if they let it),
 * and sees their last days; CS watch today's live board of the branch's technicians.
 */
@inject()
export default class AttendanceController {
  constructor(protected attendance: AttendanceBook) {}

  async mine(ctx: HttpContext) {
    const technician = ctx.auth.user!
    return ctx.view.render('pages/field/attendance/mine', {
      section: 'field_my_attendance',
      today: await this.attendance.today(ctx.branch, technician),
      recent: await this.attendance.recent(technician),
      settings: ctx.tenant.field,
    })
  }

  async checkIn(ctx: HttpContext) {
    const position = positionOf(await ctx.request.validateUsing(attendanceValidator))
    const attendance = await this.attendance.checkIn(
      ctx.tenant,
      ctx.branch,
      ctx.auth.user!,
      position
    )
    ctx.session.flash(
      attendance.lateMinutes > 0 ? 'error' : 'success',
      attendance.lateMinutes > 0
        ? ctx.i18n.t('field.flash.checked_in_late', { minutes: attendance.lateMinutes })
        : ctx.i18n.t('field.flash.checked_in')
    )
    return ctx.response.redirect().back()
  }

  async checkOut(ctx: HttpContext) {
    const position = positionOf(await ctx.request.validateUsing(attendanceValidator))
    await this.attendance.checkOut(ctx.branch, ctx.auth.user!, position)
    ctx.session.flash('success', ctx.i18n.t('field.flash.checked_out'))
    return ctx.response.redirect().back()
  }

  async board(ctx: HttpContext) {
    return ctx.view.render('pages/field/attendance/board', await this.#state(ctx))
  }

  async live(ctx: HttpContext) {
    const { version } = readPoll(ctx.request.qs())
    const drawnAt = Number(ctx.request.qs().r)
    const fresh = Number.isFinite(drawnAt) && clock.now().toMillis() - drawnAt < REDRAW_MS
    if (version !== null && fresh && (await liveVersion.get(ctx.branch.id)) === version)
      return ctx.response.noContent()
    return ctx.view.render('partials/field/attendance_board', await this.#state(ctx))
  }

  async #state(ctx: HttpContext) {
    return {
      section: 'field_attendance',
      version: await liveVersion.get(ctx.branch.id),
      now: clock.now(),
      date: ctx.branch.today(),
      settings: ctx.tenant.field,
      rows: await this.attendance.board(ctx.tenant, ctx.branch),
    }
  }
}

function positionOf(input: { latitude?: number; longitude?: number }): Position | null {
  return input.latitude !== undefined && input.longitude !== undefined
    ? { latitude: input.latitude, longitude: input.longitude }
    : null
}
