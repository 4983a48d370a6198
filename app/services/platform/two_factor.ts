import { createHash, randomBytes } from 'node:crypto'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import clock from '#support/clock'
import { hasRowLocks } from '#support/database'
import { base32Encode, newTotpSecret, verifyTotp } from '#support/totp'
import AuditTrail from '#services/platform/audit_trail'

/** How many recovery codes a member of staff gets (each good once, for a lost phone). */
export const RECOVERY_CODE_COUNT = 10

/** Who acts, from where. */
interface Actor {
  user: User
  ip?: string | null
}

/**
 * Two-factor login with TOTP (issue 16): a member of staff turns it on by typing a code of the new
 * secret (their authenticator app read it from the QR code) and gets recovery codes, shown once.
 * At login a code is good once (the step is remembered) and a recovery code is used up. An owner or
 * admin resets it for someone who lost their phone; every change is audited.
 */
@inject()
export default class TwoFactor {
  constructor(protected auditTrail: AuditTrail) {}

  newSecret() {
    return newTotpSecret()
  }

  /** Turns two-factor login on with `secret`, once `code` proves the app has it; the recovery codes to show. */
  async enable(user: User, secret: string, code: string, ip: string | null) {
    const step = verifyTotp(secret, code, clock.now().toSeconds())
    if (step === null) throw new DomainError('two_factor_code_wrong', {}, 422)
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
    await db.transaction(async (trx) => {
      user.useTransaction(trx)
      user.merge({
        twoFactorSecret: secret,
        twoFactorEnabledAt: clock.now(),
        twoFactorLastStep: step,
        twoFactorRecoveryCodes: JSON.stringify(codes.map(digest)),
      })
      await user.save()
      await this.auditTrail.record(
        { action: 'user.two_factor_enabled', tenantId: user.tenantId, subject: subjectOf(user) },
        { user, ip },
        trx
      )
    })
    return codes
  }

  /**
   * The second factor at login: a TOTP code (once) or a recovery code (used up), checked on the
   * locked user row so that one code cannot pass two requests at once. `false` when wrong.
   */
  async verify(userId: number, code: string): Promise<'totp' | 'recovery' | false> {
    return db.transaction(async (trx) => {
      const query = User.query({ client: trx }).where('id', userId)
      if (hasRowLocks(trx)) query.forUpdate()
      const user = await query.first()
      if (!user?.twoFactorSecret || !user.twoFactorEnabledAt) return false
      const step = verifyTotp(
        user.twoFactorSecret,
        code,
        clock.now().toSeconds(),
        user.twoFactorLastStep
      )
      if (step !== null) {
        user.twoFactorLastStep = step
        await user.save()
        return 'totp'
      }
      const codes: string[] = JSON.parse(user.twoFactorRecoveryCodes ?? '[]')
      const typed = digest(code)
      if (!codes.includes(typed)) return false
      user.twoFactorRecoveryCodes = JSON.stringify(codes.filter((known) => known !== typed))
      await user.save()
      return 'recovery'
    })
  }

  /** How many recovery codes are left. */
  recoveryCodesLeft(user: User) {
    return (JSON.parse(user.twoFactorRecoveryCodes ?? '[]') as string[]).length
  }

  /** The member turns it off, proving it with a current code (or a recovery code). */
  async disable(user: User, code: string, ip: string | null) {
    if (!(await this.verify(user.id, code))) throw new DomainError('two_factor_code_wrong', {}, 422)
    await this.#clear(user, { action: 'user.two_factor_disabled', by: user, ip })
  }

  /** An owner or admin clears it for a member of their tenant who lost their phone. */
  async reset(target: User, actor: Actor) {
    await this.#clear(target, { action: 'user.two_factor_reset', by: actor.user, ip: actor.ip })
  }

  async #clear(
    user: User,
    audit: {
      action: 'user.two_factor_disabled' | 'user.two_factor_reset'
      by: User
      ip?: string | null
    }
  ) {
    await db.transaction(async (trx) => {
      const fresh = await User.query({ client: trx }).where('id', user.id).firstOrFail()
      fresh.merge({
        twoFactorSecret: null,
        twoFactorEnabledAt: null,
        twoFactorLastStep: null,
        twoFactorRecoveryCodes: null,
      })
      await fresh.save()
      await this.auditTrail.record(
        {
          action: audit.action,
          tenantId: user.tenantId,
          subject: subjectOf(user),
        },
        { user: audit.by, ip: audit.ip },
        trx
      )
    })
  }
}

function subjectOf(user: User) {
  return { type: 'user', id: user.id }
}

/** `ABCDE-FGHJK`: 50 random bits in base32, easy to type from paper. */
function newRecoveryCode() {
  const text = base32Encode(randomBytes(7)).slice(0, 10)
  return `${text.slice(0, 5)}-${text.slice(5)}`
}

/** Recovery codes are kept as digests of their normalized text (upper case, no dash or spaces). */
function digest(code: string) {
  return createHash('sha256')
    .update(code.toUpperCase().replace(/[\s-]+/g, ''))
    .digest('hex')
}
