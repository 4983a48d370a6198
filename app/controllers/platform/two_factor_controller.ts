import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import { otpauthUri } from '#support/totp'
import { qrSvg } from '#support/urls'
import TwoFactor from '#services/platform/two_factor'
import StaffSessions from '#services/platform/staff_sessions'
import { twoFactorCodeValidator, twoFactorRequirementValidator } from '#validators/platform'

/** The login waiting for its second factor: who, and since when (it lapses after PENDING_MINUTES). */
export const PENDING_KEY = 'two_factor_pending'
const PENDING_MINUTES = 5
/** The secret offered on the set-up page, until a code confirms it. */
const SETUP_KEY = 'two_factor_setup'

/**
 * Two-factor login (issue 16): the code step after the password, the member's own set-up page
 * (QR code, confirm with a code, recovery codes shown once, turn off), an admin's reset for a
 * member who lost their phone, and the tenant's "required for all staff" switch.
 */
@inject()
export default class TwoFactorController {
  constructor(
    protected twoFactor: TwoFactor,
    protected staffSessions: StaffSessions
  ) {}

  async challenge({ session, response, view }: HttpContext) {
    if (!pendingUserId(session)) return response.redirect().toRoute('auth.login')
    return view.render('pages/platform/two_factor_challenge')
  }

  async verify(ctx: HttpContext) {
    const { session, response, i18n, request } = ctx
    const userId = pendingUserId(session)
    if (!userId) {
      session.flash('error', i18n.t('errors.two_factor_expired'))
      return response.redirect().toRoute('auth.login')
    }
    const { code } = await request.validateUsing(twoFactorCodeValidator)
    const passed = await this.twoFactor.verify(userId, code)
    if (!passed) {
      session.flash('error', i18n.t('errors.two_factor_code_wrong'))
      return response.redirect().toRoute('auth.two_factor')
    }
    session.forget(PENDING_KEY)
    const user = await User.findOrFail(userId)
    if (passed === 'recovery')
      session.flash(
        'warning',
        i18n.t('two_factor.recovery_used', { left: this.twoFactor.recoveryCodesLeft(user) })
      )
    return logIn(ctx, user, this.staffSessions)
  }

  async show({ auth, session, view, request }: HttpContext) {
    const user = auth.user!
    if (user.twoFactorEnabledAt)
      return view.render('pages/platform/account/two_factor', {
        user,
        left: this.twoFactor.recoveryCodesLeft(user),
      })
    let secret = session.get(SETUP_KEY) as string | undefined
    if (!secret) {
      secret = this.twoFactor.newSecret()
      session.put(SETUP_KEY, secret)
    }
    const uri = otpauthUri(secret, user.email, 'Loket')
    return view.render('pages/platform/account/two_factor', {
      user,
      secret: secret.replace(/(.{4})/g, '$1 ').trim(),
      qr: await qrSvg(uri, 1),
      required: Boolean(request.qs().required),
    })
  }

  async enable({ auth, session, request, view }: HttpContext) {
    const user = auth.user!
    const secret = session.get(SETUP_KEY) as string | undefined
    if (!secret || user.twoFactorEnabledAt) throw new DomainError('two_factor_expired', {}, 409)
    const { code } = await request.validateUsing(twoFactorCodeValidator)
    const codes = await this.twoFactor.enable(user, secret, code, request.ip())
    session.forget(SETUP_KEY)
    return view.render('pages/platform/account/two_factor_codes', { codes })
  }

  async disable({ auth, request, response, session, i18n }: HttpContext) {
    const user = auth.user!
    const { code } = await request.validateUsing(twoFactorCodeValidator)
    await this.twoFactor.disable(user, code, request.ip())
    session.flash('success', i18n.t('two_factor.turned_off'))
    return response.redirect().toRoute('account.two_factor')
  }

  /** An owner or admin clears the second factor of a member of their business (a lost phone). */
  async reset({ auth, tenant, params, request, response, session, i18n }: HttpContext) {
    const target = await User.forTenant(tenant).where('id', params.id).firstOrFail()
    await this.twoFactor.reset(target, { user: auth.user!, ip: request.ip() })
    session.flash('success', i18n.t('two_factor.reset_done', { name: target.fullName }))
    return response.redirect().toRoute('admin.users.edit', { id: target.id })
  }

  /** The tenant requires a second factor of all its staff (the admin who turns it on must have one). */
  async requirement({ auth, tenant, request, response, session, i18n }: HttpContext) {
    const { required } = await request.validateUsing(twoFactorRequirementValidator)
    if (required && !auth.user!.twoFactorEnabledAt)
      throw new DomainError('two_factor_require_self', {}, 422)
    tenant.requireTwoFactor = Boolean(required)
    await tenant.save()
    session.flash('success', i18n.t('two_factor.requirement_saved'))
    return response.redirect().toRoute('admin.settings.edit')
  }
}

/** The user waiting for their code, while the wait has not lapsed. */
function pendingUserId(session: HttpContext['session']) {
  const pending = session.get(PENDING_KEY) as { userId: number; at: number } | undefined
  if (!pending) return null
  if (clock.now().toMillis() - pending.at > PENDING_MINUTES * 60_000) return null
  return pending.userId
}

/** The login completes: a new staff session, and the member's start page. */
export async function logIn(ctx: HttpContext, user: User, staffSessions: StaffSessions) {
  user.lastLoginAt = clock.now()
  await user.save()
  await staffSessions.start(user, {
    ip: ctx.request.ip(),
    userAgent: ctx.request.header('user-agent'),
  })
  await ctx.auth.use('web').login(user)
  return ctx.response.redirect().toRoute('staff.home')
}
