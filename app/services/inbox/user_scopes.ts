import { inject } from '@adonisjs/core'
import { errors as lucidErrors } from '@adonisjs/lucid'
import type { ChainableContract } from '@adonisjs/lucid/types/querybuilder'
import UserScope from '#models/user_scope'
import User from '#models/user'
import { OUTLET_ID_PATTERN } from '#models/outlet'
import type { TenantRef } from '#models/mixins/tenant_owned'
import DomainError from '#exceptions/domain_error'
import AuditTrail, { type Actor } from '#services/platform/audit_trail'
import { withTransaction } from '#support/database'
import { SCOPABLE_ROLES } from '#enums/role'

/** A franchise (`oid` null: all its outlets) or one outlet of it. */
export interface Scope {
  fid: string
  oid: string | null
}

/** The most scopes one user may have (a regional agent covers a few dozen franchises). */
export const MAX_SCOPES = 500

/**
 * Which franchises and outlets a member of staff works for (seed 004, `user_scope`). Agents,
 * sales, renewal and CS (SCOPABLE_ROLES) can be limited to some franchises (`fid`) or single
 * outlets (`fid/oid`); a user without scopes sees everything. Managers (owner, admin, supervisor)
 * always see everything, whatever rows an earlier role left. Scopes are tenant data: another
 * tenant's user answers 404.
 */
@inject()
export default class UserScopes {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * What `userId` may see: null when unscoped (every conversation), else their scopes. The rows
   * count only while the user holds a scopable role (one query, the user's role in a subquery).
   */
  async of(tenantId: number, userId: number): Promise<Scope[] | null> {
    const scopable = User.forTenant(tenantId)
      .whereIn('role', [...SCOPABLE_ROLES])
      .select('id')
    const rows = await UserScope.forTenant(tenantId)
      .where('user_id', userId)
      .whereIn('user_id', scopable)
      .select('fid', 'oid')
    return rows.length ? sortScopes(rows.map(scopeOf)) : null
  }

  /** The scopes stored for `userId` whatever their role (what the users page shows). */
  async list(tenantId: number, userId: number): Promise<Scope[]> {
    const rows = await UserScope.forTenant(tenantId).where('user_id', userId).select('fid', 'oid')
    return sortScopes(rows.map(scopeOf))
  }

  /**
   * Replaces `user`'s scopes with `scopes` in one transaction with its audit entry (none when
   * nothing changed). A franchise scope covers its outlets, so `F1` with `F1/O2` keeps `F1`
   * alone; repeats count once. Only scopable roles take scopes (422 for a manager: they would
   * not apply); an empty list clears them for anyone.
   */
  async set(tenant: TenantRef, user: User, scopes: readonly Scope[], actor: Actor) {
    const tenantId = typeof tenant === 'number' ? tenant : tenant.id
    if (user.tenantId !== tenantId) throw new lucidErrors.E_ROW_NOT_FOUND()
    const wanted = simplify(scopes)
    if (
      wanted.length > MAX_SCOPES ||
      wanted.some(
        (scope) =>
          !OUTLET_ID_PATTERN.test(scope.fid) ||
          (scope.oid !== null && !OUTLET_ID_PATTERN.test(scope.oid))
      )
    )
      throw new DomainError('invalid', {}, 422)
    if (wanted.length && !SCOPABLE_ROLES.includes(user.role))
      throw new DomainError('user_scope_not_applicable', {}, 422)

    const before = await this.list(tenantId, user.id)
    if (formatScopes(before) === formatScopes(wanted)) return wanted
    await withTransaction(async (trx) => {
      await UserScope.forTenant(tenantId, { client: trx }).where('user_id', user.id).delete()
      if (wanted.length)
        await UserScope.createMany(
          wanted.map((scope) => ({ tenantId, userId: user.id, fid: scope.fid, oid: scope.oid })),
          { client: trx }
        )
      await this.auditTrail.record(
        {
          action: 'user.scopes_updated',
          tenantId,
          branchId: user.branchId,
          subject: { type: 'user', id: user.id },
          changes: { outlet_scopes: [formatScopes(before, ', '), formatScopes(wanted, ', ')] },
        },
        actor,
        trx
      )
    })
    return wanted
  }
}

/**
 * Narrows a query of a table with `fid` and `oid` columns (conversations) to `scopes`: unchanged
 * when there are none (an unscoped user), else `fid IN (whole franchises) OR (fid = ? AND oid IN
 * (its outlets)) OR ...`. A row without a fid matches no scope, so a scoped user never sees it.
 * `table` qualifies the columns when the query joins others.
 */
export function applyScope<Query extends ChainableContract>(
  query: Query,
  scopes: readonly Scope[] | null,
  table?: string
): Query {
  if (!scopes?.length) return query
  const column = (name: 'fid' | 'oid') => (table ? `${table}.${name}` : name)
  const whole = new Set<string>()
  const outlets = new Map<string, Set<string>>()
  for (const scope of scopes) {
    if (scope.oid === null) whole.add(scope.fid)
    else outlets.set(scope.fid, (outlets.get(scope.fid) ?? new Set()).add(scope.oid))
  }
  query.where((where) => {
    if (whole.size) where.orWhereIn(column('fid'), [...whole])
    for (const [fid, oids] of outlets) {
      if (whole.has(fid)) continue
      where.orWhere((one) => one.where(column('fid'), fid).whereIn(column('oid'), [...oids]))
    }
  })
  return query
}

/**
 * The scopes of a textarea, one a line: `fid` (a whole franchise) or `fid/oid` (one outlet);
 * `fid/*` and `fid/` mean the whole franchise too, blank lines are skipped. `bad` is the first
 * line (1-based) that is neither, or null.
 */
export function parseScopes(text: string): { scopes: Scope[]; bad: number | null } {
  const scopes: Scope[] = []
  const lines = text.split(/\r\n?|\n/)
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim()
    if (!line) continue
    const slash = line.indexOf('/')
    const fid = (slash < 0 ? line : line.slice(0, slash)).trim()
    const rest = slash < 0 ? '' : line.slice(slash + 1).trim()
    const oid = rest === '' || rest === '*' ? null : rest
    if (!OUTLET_ID_PATTERN.test(fid) || (oid !== null && !OUTLET_ID_PATTERN.test(oid)))
      return { scopes, bad: index + 1 }
    scopes.push({ fid, oid })
  }
  return { scopes, bad: null }
}

/** Scopes as the textarea shows them: `F1`, `F2/O7`, one a line (or joined by `separator`). */
export function formatScopes(scopes: readonly Scope[], separator = '\n') {
  return scopes
    .map((scope) => (scope.oid ? `${scope.fid}/${scope.oid}` : scope.fid))
    .join(separator)
}

/**
 * Each scope once, sorted; outlets of a franchise that is whole already are dropped. Ids are
 * compared without case, as MySQL's unique index compares them.
 */
function simplify(scopes: readonly Scope[]) {
  const lower = (text: string) => text.toLowerCase()
  const whole = new Set(
    scopes.filter((scope) => scope.oid === null).map((scope) => lower(scope.fid))
  )
  const seen = new Set<string>()
  const kept: Scope[] = []
  for (const scope of scopes) {
    if (scope.oid !== null && whole.has(lower(scope.fid))) continue
    const key = `${lower(scope.fid)}\u0000${lower(scope.oid ?? '')}`
    if (seen.has(key)) continue
    seen.add(key)
    kept.push({ fid: scope.fid, oid: scope.oid })
  }
  return sortScopes(kept)
}

/** By franchise, a whole franchise before its outlets. */
function sortScopes(scopes: Scope[]) {
  return scopes.sort((a, b) => compare(a.fid, b.fid) || compare(a.oid ?? '', b.oid ?? ''))
}

function compare(a: string, b: string) {
  return a < b ? -1 : a > b ? 1 : 0
}

function scopeOf(row: { fid: string; oid: string | null }): Scope {
  return { fid: row.fid, oid: row.oid ?? null }
}
