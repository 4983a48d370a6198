import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { symbols } from '@adonisjs/auth'
import type { SessionGuardUser, SessionUserProviderContract } from '@adonisjs/auth/types/session'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import User from '#models/user'
import clock from '#support/clock'
import { fromSqlDateTime, toSqlDateTime } from '#models/columns'
import { rateLimits } from '#start/limiter'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import { withTransaction } from '#support/database'
import { inject } from '@adonisjs/core'

/** A session nobody used for this long has ended (the session cookie's own age, config/session.ts). */
const SESSION_IDLE_HOURS = 12

/** How often a session in use records that it was seen (a write per request would be wasteful). */
const TOUCH_EVERY_MINUTES = 5

/** Failed logins to one account are counted over this window, whatever address they come from. */
const ACCOUNT_WINDOW = '15 mins'

export interface SessionMeta {
  ip?: string | null
  userAgent?: string | null
}

export type LoginResult =
  | { user: User }
  | { refused: 'invalid_credentials' | 'account_disabled' }
  | { refused: 'login_locked'; minutes: number }

/**
 * Staff sessions the server can end. The session cookie holds `<user id>.<session id>`, and a
 * session is valid only while its `user_sessions` row exists, its user is active and it was seen in
 * the last 12 hours. Logging out deletes the row, so a copy of the cookie kept from before is
 * worth nothing; deactivating a user, changing their password, role or branch, and "log out of all
 * devices" delete all of theirs. The check is the same query that loads the user (one join), on
 * every request, on every server: an ended session stops at its next request.
 */
@inject()
export default class StaffSessions {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * Checks an email and password. Each account has its own budget of attempts
   * (RATE_LIMIT_LOGIN_PER_ACCOUNT per 15 minutes) beside the per-address one: guessing one
   * account's password from many addresses stops too. The attempt is counted before the password
   * is checked, so parallel guesses cannot overdraw it; a successful login gives it back.
   */
  async verifyLogin(email: string, password: string): Promise<LoginResult> {
    const budget = limiter.use({
      requests: rateLimits.loginPerAccount,
      duration: ACCOUNT_WINDOW,
      blockDuration: ACCOUNT_WINDOW,
    })
    const key = `login-account:${email.toLowerCase()}`
    try {
      await budget.consume(key)
    } catch (error) {
      if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
        return {
          refused: 'login_locked',
          minutes: Math.max(1, Math.ceil(error.response.availableIn / 60)),
        }
      }
      throw error
    }
    let user: User
    try {
      user = await User.verifyCredentials(email, password)
    } catch {
      return { refused: 'invalid_credentials' }
    }
    await budget.delete(key)
    if (!user.isActive) return { refused: 'account_disabled' }
    return { user }
  }

  /**
   * Opens a session for `user` and returns its id. The session guard's `login` picks it up from
   * the user (StaffSessionUserProvider); without one, the provider opens a session itself.
   */
  async start(user: User, meta: SessionMeta = {}) {
    const id = randomBytes(32).toString('base64url')
    const now = toSqlDateTime(clock.now())
    await db.table('user_sessions').insert({
      id,
      user_id: user.id,
      ip: meta.ip?.slice(0, 45) ?? null,
      user_agent: meta.userAgent?.slice(0, 255) ?? null,
      created_at: now,
      last_seen_at: now,
    })
    user.$extras.pendingSessionId = id
    return id
  }

  /** The id of the session a user was loaded through (null for a user loaded otherwise). */
  idOf(user: User): string | null {
    return (user.$extras.sessionId as string | undefined) ?? null
  }

  /** Ends one session: its cookie logs nobody in any more. */
  async end(sessionId: string | null) {
    if (sessionId) await db.from('user_sessions').where('id', sessionId).delete()
  }

  /** Ends every session of a user (but `except`, the one making the change), in the caller's transaction when given. */
  async endAllOf(
    userId: number,
    options: { except?: string | null; client?: QueryClientContract } = {}
  ) {
    const query = (options.client ?? db).from('user_sessions').where('user_id', userId)
    if (options.except) query.whereNot('id', options.except)
    await query.delete()
  }

  /** "Log out of all devices" for `user` (by themselves, or by an admin who manages them), audited. */
  async endEverywhere(user: User, actor: Actor) {
    await withTransaction(async (trx) => {
      await this.endAllOf(user.id, { client: trx })
      await this.auditTrail.record(
        {
          action: 'user.sessions_ended',
          tenantId: user.tenantId,
          branchId: user.branchId,
          subject: { type: 'user', id: user.id },
        },
        actor,
        trx
      )
    })
  }

  /**
   * Whether a change to a user's account ends their sessions: deactivation, a new password, another
   * role or another branch (their rights changed, so what they opened under the old ones must end).
   */
  endedBy(
    changes: { isActive?: boolean; password?: unknown; role?: string; branchId?: number | null },
    before: User
  ) {
    return (
      changes.isActive === false ||
      Boolean(changes.password) ||
      (changes.role !== undefined && changes.role !== before.role) ||
      (changes.branchId !== undefined && changes.branchId !== before.branchId)
    )
  }

  /** The user of a session cookie's `<user id>.<session id>`, when that session is still valid. */
  async resolve(identifier: string): Promise<User | null> {
    const match = /^(\d{1,12})\.([\w-]{43})$/.exec(identifier)
    if (!match) return null
    const [, userId, sessionId] = match
    const now = clock.now()
    const user = await User.query()
      .join('user_sessions', 'user_sessions.user_id', 'users.id')
      .where('user_sessions.id', sessionId)
      .where('users.id', Number(userId))
      .where('users.is_active', true)
      .where(
        'user_sessions.last_seen_at',
        '>',
        toSqlDateTime(now.minus({ hours: SESSION_IDLE_HOURS }))
      )
      .select('users.*', 'user_sessions.last_seen_at as session_seen_at')
      .first()
    if (!user) return null
    user.$extras.sessionId = sessionId
    const seen = fromSqlDateTime(user.$extras.session_seen_at)
    if (!seen || seen < now.minus({ minutes: TOUCH_EVERY_MINUTES })) {
      await db
        .from('user_sessions')
        .where('id', sessionId)
        .update({ last_seen_at: toSqlDateTime(now) })
    }
    return user
  }

  /** Forgets sessions that ended by themselves (nightly). */
  prune() {
    return db
      .from('user_sessions')
      .where('last_seen_at', '<', toSqlDateTime(clock.now().minus({ hours: SESSION_IDLE_HOURS })))
      .delete()
  }
}

/**
 * The session guard's user provider (config/auth.ts): what the guard keeps in the session is
 * `<user id>.<session id>`, and a user is found only through a valid session (StaffSessions).
 */
export class StaffSessionUserProvider implements SessionUserProviderContract<User> {
  declare [symbols.PROVIDER_REAL_USER]: User

  constructor(protected sessions: StaffSessions) {}

  /** Called when a user logs in (and by the test client's `loginAs`): the session to store. */
  async createUserForGuard(user: User): Promise<SessionGuardUser<User>> {
    const sessionId =
      (user.$extras.pendingSessionId as string | undefined) ?? (await this.sessions.start(user))
    delete user.$extras.pendingSessionId
    user.$extras.sessionId = sessionId
    return guardUser(user, sessionId)
  }

  async findById(identifier: string | number | BigInt) {
    const user = await this.sessions.resolve(String(identifier))
    return user ? guardUser(user, user.$extras.sessionId) : null
  }
}

function guardUser(user: User, sessionId: string): SessionGuardUser<User> {
  return { getId: () => `${user.id}.${sessionId}`, getOriginal: () => user }
}
