import type { HttpContext } from '@adonisjs/core/http'
import clock from '#support/clock'
import StaffSessions from '#services/platform/staff_sessions'
import { loginValidator } from '#validators/platform'
import { inject } from '@adonisjs/core'

/** Staff log in with email and password; sessions end on logout, here or on every device at once. */
@inject()
export default class SessionController {
  constructor(protected staffSessions: StaffSessions) {}

  async create({ view }: HttpContext) {
    return view.render('pages/platform/login')
  }

  async store({ request, auth, response, session, i18n }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    const result = await this.staffSessions.verifyLogin(email, password)
    if ('refused' in result) {
      session.flashOnly(['email'])
      session.flash(
        'error',
        i18n.t(`errors.${result.refused}`, 'minutes' in result ? { minutes: result.minutes } : {})
      )
      return response.redirect().back()
    }
    const { user } = result
    user.lastLoginAt = clock.now()
    await user.save()
    await this.staffSessions.start(user, {
      ip: request.ip(),
      userAgent: request.header('user-agent'),
    })
    await auth.use('web').login(user)
    return response.redirect().toRoute('staff.home')
  }

  async destroy({ auth, response }: HttpContext) {
    await this.staffSessions.end(this.staffSessions.idOf(auth.user!))
    await auth.use('web').logout()
    return response.redirect().toRoute('auth.login')
  }

  /** "Log out of all devices": every session of this user ends, this one included. */
  async destroyAll({ auth, request, response, session, i18n }: HttpContext) {
    const user = auth.user!
    await this.staffSessions.endEverywhere(user, { user, ip: request.ip() })
    await auth.use('web').logout()
    session.flash('success', i18n.t('ui.auth.logged_out_everywhere'))
    return response.redirect().toRoute('auth.login')
  }
}
