import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import encryption from '@adonisjs/core/services/encryption'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { ModelAdapterOptions } from '@adonisjs/lucid/types/model'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import Tenant from '#models/tenant'
import Branch from '#models/branch'
import { boolean, dateTime } from '#models/columns'
import { ADMIN_ROLES, type Role } from '#enums/role'
import { TenantOwned } from '#models/mixins/tenant_owned'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(BaseModel, AuthFinder, TenantOwned) {
  /** The tenant's active staff of `role` who may work at the branch (those of every branch included). */
  static workingAt(
    tenantId: number,
    branchId: number,
    role: Role | readonly Role[],
    options?: ModelAdapterOptions
  ) {
    return this.forTenant(tenantId, options)
      .whereIn('role', typeof role === 'string' ? [role] : [...role])
      .where('is_active', true)
      .where((query) => query.whereNull('branch_id').orWhere('branch_id', branchId))
  }

  @column({ isPrimary: true })
  declare id: number

  /** Null only for platform staff (`super_admin`). */
  @column()
  declare tenantId: number | null

  /** When set, the user works only in this branch. */
  @column()
  declare branchId: number | null

  @column()
  declare fullName: string

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare role: Role

  @column()
  declare locale: string | null

  @boolean()
  declare isActive: boolean

  @dateTime()
  declare lastLoginAt: DateTime | null

  /** The counter this operator last sat down at (their console opens on it again). */
  @column()
  declare lastCounterId: number | null

  /** E.164; technicians hear of returned places and decided extensions on it. */
  @column()
  declare phone: string | null

  /** The TOTP secret (base32), encrypted with APP_KEY at rest; null until two-factor login is set up. */
  @column({
    serializeAs: null,
    prepare: (value: string | null) => (value === null ? null : encryption.encrypt(value)),
    consume: (value: string | null) => (value ? (encryption.decrypt<string>(value) ?? null) : null),
  })
  declare twoFactorSecret: string | null

  @dateTime()
  declare twoFactorEnabledAt: DateTime | null

  /** The last 30-second step a code was accepted for: a code is good once. */
  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare twoFactorLastStep: number | null

  /** sha256 digests of the unused recovery codes, as JSON. */
  @column({ serializeAs: null })
  declare twoFactorRecoveryCodes: string | null

  @belongsTo(() => Tenant)
  declare tenant: BelongsTo<typeof Tenant>

  @belongsTo(() => Branch)
  declare branch: BelongsTo<typeof Branch>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get isSuperAdmin() {
    return this.role === 'super_admin'
  }

  get isAdmin() {
    return ADMIN_ROLES.includes(this.role)
  }
}
