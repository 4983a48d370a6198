import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import clock from '#services/clock'
import { loginValidator } from '#validators/auth'

/** Staff log in with email and password (session cookie). */
export default class SessionController {
  async create({ view }: HttpContext) {
    return view.render('pages/auth/login')
  }

  async store({ request, auth, response, session, i18n }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    let user: User
    try {
      user = await User.verifyCredentials(email, password)
    } catch {
      session.flashOnly(['email'])
      session.flash('error', i18n.t('errors.invalid_credentials'))
      return response.redirect().back()
    }
    if (!user.isActive) {
      session.flashOnly(['email'])
      session.flash('error', i18n.t('errors.account_disabled'))
      return response.redirect().back()
    }
    user.lastLoginAt = clock.now()
    await user.save()
    await auth.use('web').login(user)
    return response.redirect().toRoute('staff.home')
  }

  async destroy({ auth, response }: HttpContext) {
    await auth.use('web').logout()
    return response.redirect().toRoute('auth.login')
  }
}
