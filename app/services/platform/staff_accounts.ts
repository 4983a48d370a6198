import { inject } from '@adonisjs/core'
import User from '#models/user'
import type Tenant from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import type { TenantRole } from '#enums/role'
import { normalizePhone } from '#support/phone'
import Configuration from '#services/platform/configuration'
import StaffSessions from '#services/platform/staff_sessions'
import type { Actor } from '#services/platform/audit_trail'

/** A staff account as the admin form describes it; `branchId` null is every branch. */
export interface StaffForm {
  full_name: string
  email: string
  role: TenantRole
  branchId: number | null
  locale?: string | null
  password?: string | null
  is_active?: boolean
  /** As typed; kept in E.164 (technicians hear of returned places and extensions on it). */
  phone?: string | null
}

/** The form's phone in E.164, null when left empty; a 422 when it is not a phone number. */
function staffPhone(phone: string | null | undefined) {
  if (!phone?.trim()) return null
  const normalized = normalizePhone(phone)
  if (!normalized) throw new DomainError('invalid_phone', {}, 422)
  return normalized
}

/**
 * The tenant's staff accounts. Who may touch whom is PlatformPolicy's; the rules of the change are
 * here: nobody demotes, disables or moves themselves, and deactivation or new rights end the
 * member's sessions in the same transaction as the change.
 */
@inject()
export default class StaffAccounts {
  constructor(
    protected configuration: Configuration,
    protected staffSessions: StaffSessions
  ) {}

  async add(tenant: Tenant, form: StaffForm & { password: string }, actor: Actor) {
    return this.configuration.create(
      User,
      {
        tenantId: tenant.id,
        branchId: form.branchId,
        fullName: form.full_name,
        email: form.email,
        password: form.password,
        role: form.role,
        locale: form.locale ?? null,
        phone: staffPhone(form.phone),
        isActive: true,
      },
      { subject: 'user', tenantId: tenant.id, branchId: form.branchId },
      actor
    )
  }

  /**
   * Applies the form to `member`. `actor.user` changing themselves keeps their role, reach and
   * active state (a 422 if the form says otherwise) and keeps `actorSessionId`, the session they
   * are using, when their own password changes.
   */
  async change(
    member: User,
    form: StaffForm,
    actor: Actor & { user: User },
    actorSessionId: string | null
  ) {
    const isSelf = member.id === actor.user.id
    if (
      isSelf &&
      (form.role !== member.role || form.is_active === false || form.branchId !== member.branchId)
    ) {
      throw new DomainError('cannot_demote_self', {}, 422)
    }
    const changes: Record<string, unknown> = {
      fullName: form.full_name,
      email: form.email,
      role: form.role,
      branchId: form.branchId,
      locale: form.locale ?? null,
      phone: staffPhone(form.phone),
      isActive: isSelf ? true : (form.is_active ?? false),
    }
    if (form.password) changes.password = form.password
    const endsSessions = this.staffSessions.endedBy(changes, member)
    return this.configuration.update(
      member,
      changes,
      { subject: 'user', tenantId: member.tenantId, branchId: member.branchId },
      actor,
      {
        also: endsSessions
          ? (trx) =>
              this.staffSessions.endAllOf(member.id, {
                except: isSelf ? actorSessionId : null,
                client: trx,
              })
          : undefined,
      }
    )
  }
}
