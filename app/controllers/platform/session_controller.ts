import type { HttpContext } from '@adonisjs/core/http'
import clock from '#support/clock'
import StaffSessions from '#services/platform/staff_sessions'
import { loginValidator } from '#validators/platform'
import { inject } from '@adonisjs/core'
import { PENDING_KEY, logIn } from '#controllers/platform/two_factor_controller'

/** Staff log in with email and password (then a code, when they turned two-factor login on); sessions end on logout, here or on every device at once. */
@inject()
export default class SessionController {
  constructor(protected staffSessions: StaffSessions) {}

  async create({ view }: HttpContext) {
    return view.render('pages/platform/login')
  }

  async store(ctx: HttpContext) {
    const { request, response, session, i18n } = ctx
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
    if (user.twoFactorEnabledAt) {
      // The password was right: the code from the authenticator app comes next.
      session.put(PENDING_KEY, { userId: user.id, at: clock.now().toMillis() })
      return response.redirect().toRoute('auth.two_factor')
    }
    return logIn(ctx, user, this.staffSessions)
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
