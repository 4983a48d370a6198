import vine from '@vinejs/vine'
import { TENANT_ROLES } from '#enums/role'
import { NO_SHOW_ACTIONS, PRIORITIES } from '#enums/ticket'
import { BRANCH_TIMEZONES } from '#models/branch'
import { DEVICE_KINDS, DISPLAY_MODES } from '#models/device'
import { parseMajorAmount } from '#services/support/prices'

/** A local time of day, HH:mm (24 h). */
const clockTime = () =>
  vine
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)

const slug = () =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .minLength(3)
    .maxLength(60)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)

/** Unique-in-branch checks read `branchId` and the edited record's `id` from the validator's meta. */
interface BranchMeta {
  branchId: number
  id?: number
}

export const serviceValidator = vine.withMetaData<BranchMeta>().compile(
  vine.object({
    code: vine
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{1,3}$/)
      .unique(async (db, value, field) => {
        const row = await db
          .from('services')
          .where('branch_id', field.meta.branchId)
          .where('code', value)
          .whereNot('id', field.meta.id ?? 0)
          .first()
        return !row
      }),
    name: vine.string().trim().minLength(2).maxLength(80),
    name_en: vine.string().trim().maxLength(80).optional(),
    name_ms: vine.string().trim().maxLength(80).optional(),
    description: vine.string().trim().maxLength(255).optional(),
    area_id: vine.number().positive().withoutDecimals().optional(),
    sla_minutes: vine.number().withoutDecimals().range([1, 600]).optional(),
    opens_at: clockTime().optional(),
    closes_at: clockTime().optional(),
    daily_capacity: vine.number().withoutDecimals().range([1, 9999]).optional(),
    default_priority: vine.enum(PRIORITIES).optional(),
    number_format: vine
      .string()
      .trim()
      .maxLength(32)
      .regex(/^[^<>{}]*(\{code\}[^<>{}]*)?\{n(:[1-6])?\}[^<>{}]*$|^[^<>{}]*\{n(:[1-6])?\}[^<>{}]*\{code\}[^<>{}]*$/)
      .optional(),
    no_show_after_minutes: vine.number().withoutDecimals().range([1, 60]).optional(),
    no_show_action: vine.enum(NO_SHOW_ACTIONS).optional(),
    max_wait_minutes: vine.number().withoutDecimals().range([1, 600]).optional(),
    notify_ahead: vine.number().withoutDecimals().range([1, 50]).optional(),
    is_active: vine.boolean().optional(),
    // Booking: customers may book a time for it, for so long, at this price (typed in the major
    // unit: `25000` or `25.000` rupiah, `25.50` ringgit; kept in minor units), paid first or not.
    is_bookable: vine.boolean().optional(),
    duration_minutes: vine.number().withoutDecimals().range([5, 480]).optional(),
    price: vine
      .string()
      .trim()
      .maxLength(20)
      .regex(/^(\d{1,3}([.,\s]\d{3})*|\d+)([.,]\d{1,2})?$/)
      .transform((value) => parseMajorAmount(value) ?? 0)
      .optional(),
    requires_prepayment: vine.boolean().optional(),
  })
)

export const counterValidator = vine.withMetaData<BranchMeta>().compile(
  vine.object({
    name: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(60)
      .unique(async (db, value, field) => {
        const row = await db
          .from('counters')
          .where('branch_id', field.meta.branchId)
          .where('name', value)
          .whereNot('id', field.meta.id ?? 0)
          .first()
        return !row
      }),
    service_ids: vine.array(vine.number().positive().withoutDecimals()).distinct().optional(),
    area_id: vine.number().positive().withoutDecimals().optional(),
    is_active: vine.boolean().optional(),
  })
)

export const moveValidator = vine.compile(vine.object({ direction: vine.enum(['up', 'down'] as const) }))

const email = (ignoreId?: number) =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .email()
    .maxLength(254)
    .unique(async (db, value) => {
      const row = await db.from('users').where('email', value).whereNot('id', ignoreId ?? 0).first()
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
        const row = await db.from('users').where('email', value).whereNot('id', field.meta.id).first()
        return !row
      }),
    role: vine.enum(TENANT_ROLES),
    branch_id: vine.number().positive().withoutDecimals().optional(),
    password: vine.string().minLength(8).maxLength(200).optional(),
    locale: vine.enum(['id', 'en', 'ms'] as const).optional(),
    is_active: vine.boolean().optional(),
  })
)

export const deviceValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(80),
    kind: vine.enum(DEVICE_KINDS).optional(),
  })
)

/** A display's or kiosk's settings. */
export const deviceSettingsValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(80),
    mode: vine.enum(DISPLAY_MODES).optional(),
    area_id: vine.number().positive().withoutDecimals().optional(),
    service_ids: vine.array(vine.number().positive().withoutDecimals()).distinct().optional(),
    recent_count: vine.number().withoutDecimals().range([0, 12]).optional(),
    show_next_up: vine.boolean().optional(),
    paper_width: vine.number().in([58, 80]).optional(),
    /** A booth: the resource it stands at. */
    resource_id: vine.number().positive().withoutDecimals().optional(),
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
      const row = await db.from('branches').where('slug', value).whereNot('id', field.meta.branchId).first()
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

export const reportValidator = vine.compile(
  vine.object({
    date: vine
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
)

export const auditFilterValidator = vine.compile(
  vine.object({
    kind: vine.enum(['all', 'tickets', 'config'] as const).optional(),
    user_id: vine.number().positive().withoutDecimals().optional(),
    from: vine.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    to: vine.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
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
    days: vine
      .array(
        vine.object({
          weekday: vine.number().withoutDecimals().range([0, 6]),
          open: vine.boolean().optional(),
          opens_at: clockTime().optional(),
          closes_at: clockTime().optional(),
        })
      )
      .maxLength(7),
  })
)

export const holidayValidator = vine.compile(
  vine.object({
    date: vine.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    name: vine.string().trim().minLength(2).maxLength(120),
  })
)

/** How the tenant's queues are ordered and shown (app/services/queue_settings.ts). */
export const queueSettingsValidator = vine.compile(
  vine.object({
    weights: vine.object(
      Object.fromEntries(PRIORITIES.map((priority) => [priority, vine.number().withoutDecimals().range([0, 10000])])) as Record<
        (typeof PRIORITIES)[number],
        ReturnType<typeof vine.number>
      >
    ),
    ratio_enabled: vine.boolean().optional(),
    ratio_regular: vine.number().withoutDecimals().range([1, 10]).optional(),
    ratio_priority: vine.number().withoutDecimals().range([1, 10]).optional(),
    max_wait_minutes: vine.number().withoutDecimals().range([1, 600]),
    transfer_keeps_place: vine.boolean().optional(),
    show_wait_estimate: vine.boolean().optional(),
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
