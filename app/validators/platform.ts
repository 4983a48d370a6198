import vine from '@vinejs/vine'
import { TENANT_ROLES } from '#enums/role'
import { BRANCH_TIMEZONES } from '#models/branch'
import { slug, weekHours } from '#validators/fields'

export const loginValidator = vine.compile(
  vine.object({
    email: vine.string().trim().toLowerCase().email().maxLength(254),
    password: vine.string().minLength(1).maxLength(200),
  })
)

/** A code from the authenticator app (6 digits) or a recovery code (`ABCDE-FGHJK`). */
export const twoFactorCodeValidator = vine.compile(
  vine.object({ code: vine.string().trim().minLength(6).maxLength(20) })
)

export const twoFactorRequirementValidator = vine.compile(
  vine.object({ required: vine.boolean().optional() })
)

export const switchBranchValidator = vine.compile(
  vine.object({
    branch_id: vine.number().positive().withoutDecimals(),
  })
)

const email = (ignoreId?: number) =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .email()
    .maxLength(254)
    .unique(async (db, value) => {
      const row = await db
        .from('users')
        .where('email', value)
        .whereNot('id', ignoreId ?? 0)
        .first()
      return !row
    })

export const createUserValidator = vine.compile(
  vine.object({
    full_name: vine.string().trim().minLength(2).maxLength(120),
    email: email(),
    role: vine.enum(TENANT_ROLES),
    branch_id: vine.number().positive().withoutDecimals().optional(),
    password: vine.string().minLength(8).maxLength(200),
    locale: vine.enum(['id', 'en', 'ms'] as const).optional(),
    phone: vine.string().trim().maxLength(30).optional(),
  })
)

export const updateUserValidator = vine.withMetaData<{ id: number }>().compile(
  vine.object({
    full_name: vine.string().trim().minLength(2).maxLength(120),
    email: vine
      .string()
      .trim()
      .toLowerCase()
      .email()
      .maxLength(254)
      .unique(async (db, value, field) => {
        const row = await db
          .from('users')
          .where('email', value)
          .whereNot('id', field.meta.id)
          .first()
        return !row
      }),
    role: vine.enum(TENANT_ROLES),
    branch_id: vine.number().positive().withoutDecimals().optional(),
    password: vine.string().minLength(8).maxLength(200).optional(),
    locale: vine.enum(['id', 'en', 'ms'] as const).optional(),
    phone: vine.string().trim().maxLength(30).optional(),
    is_active: vine.boolean().optional(),
  })
)

export const tenantSettingsValidator = vine.compile(
  vine.object({
    tenant_name: vine.string().trim().minLength(2).maxLength(120),
    brand_color: vine.string().trim().hexCode(),
    locale: vine.enum(['id', 'en', 'ms'] as const),
  })
)

export const branchSettingsValidator = vine.withMetaData<{ branchId: number }>().compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(120),
    slug: slug().unique(async (db, value, field) => {
      const row = await db
        .from('branches')
        .where('slug', value)
        .whereNot('id', field.meta.branchId)
        .first()
      return !row
    }),
    timezone: vine.enum(BRANCH_TIMEZONES),
    address: vine.string().trim().maxLength(255).optional(),
  })
)

export const branchValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(120),
    slug: slug().unique({ table: 'branches', column: 'slug' }),
    timezone: vine.enum(BRANCH_TIMEZONES),
    address: vine.string().trim().maxLength(255).optional(),
  })
)

export const auditFilterValidator = vine.compile(
  vine.object({
    kind: vine.enum(['all', 'tickets', 'config'] as const).optional(),
    user_id: vine.number().positive().withoutDecimals().optional(),
    from: vine
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    to: vine
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    before: vine.string().maxLength(40).optional(),
  })
)

export const tenantValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(120),
    slug: slug().unique({ table: 'tenants', column: 'slug' }),
    locale: vine.enum(['id', 'en', 'ms'] as const),
    branch_name: vine.string().trim().minLength(2).maxLength(120),
    branch_slug: slug().unique({ table: 'branches', column: 'slug' }),
    timezone: vine.enum(BRANCH_TIMEZONES),
    owner_name: vine.string().trim().minLength(2).maxLength(120),
    owner_email: email(),
    owner_password: vine.string().minLength(8).maxLength(200),
  })
)

/** The branch's weekly opening hours: one row per weekday (0 = Sunday), open or not. */
export const hoursValidator = vine.compile(
  vine.object({
    days: weekHours(),
  })
)

export const holidayValidator = vine.compile(
  vine.object({
    date: vine.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    name: vine.string().trim().minLength(2).maxLength(120),
  })
)

/**
 * A logo up to 300 KB. Its type is told by its bytes (services/uploads.ts: PNG, JPEG or WebP; never
 * SVG, which can carry scripts), not by its name, so no extension is checked here.
 */
export const logoValidator = vine.compile(
  vine.object({
    logo: vine.file({ size: '300kb' }),
  })
)

/** An admin names a new API key after what will use it. */
export const apiKeyValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(80),
  })
)
