import vine from '@vinejs/vine'
import { PRESENCES } from '#enums/counter'
import { PRIORITIES, NO_SHOW_ACTIONS } from '#enums/ticket'
import { DEVICE_KINDS, DISPLAY_MODES } from '#models/device'
import { API_TICKET_ACTIONS, COUNTER_ACTIONS } from '#services/queue/ticket_commands'
import {
  recordId,
  clockTime,
  majorAmount,
  uniqueInBranch,
  type BranchMeta,
} from '#validators/fields'

/** A visitor takes a number: which service, an optional phone for updates, and an id that makes a double tap harmless. */
export const takeTicketValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals(),
    phone: vine.string().trim().maxLength(30).optional(),
    request_id: vine.string().trim().uuid().optional(),
  })
)

/**
 * What a live screen's poll says it holds: `?v=<version>` and, on a ticket page, `&b=<branch id>`.
 * Read by hand because thousands of screens ask every second; anything malformed reads as
 * "holds nothing", which is answered with a fresh fragment rather than an error.
 */
export function readPoll(query: Record<string, unknown>) {
  const version = Number(query.v)
  const branchId = Number(query.b)
  return {
    version: Number.isSafeInteger(version) ? version : null,
    branchId: Number.isSafeInteger(branchId) && branchId > 0 ? branchId : null,
  }
}

/** An operator picks their counter and the services it serves. */
export const selectCounterValidator = vine.compile(
  vine.object({
    counter_id: vine.number().positive().withoutDecimals(),
    service_ids: vine.array(vine.number().positive().withoutDecimals()).minLength(1).distinct(),
  })
)

/** Staff actions carry an id so that a repeated click changes nothing. */
export const staffActionValidator = vine.compile(
  vine.object({
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

export const cancelTicketValidator = vine.compile(
  vine.object({
    reason: vine.string().trim().minLength(2).maxLength(200),
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

export const presenceValidator = vine.compile(
  vine.object({
    presence: vine.enum(PRESENCES),
  })
)

/** Where a called or served ticket goes: another service, a counter, or both. */
export const transferValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals().optional(),
    counter_id: vine.number().positive().withoutDecimals().optional(),
    note: vine.string().trim().maxLength(200).optional(),
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

/** Staff's note and comma-separated tags on a visit. */
export const annotateValidator = vine.compile(
  vine.object({
    note: vine.string().trim().maxLength(255).optional(),
    tags: vine.string().trim().maxLength(200).optional(),
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

/** The front desk issues a ticket for a walk-in. */
export const deskTicketValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals(),
    priority: vine.enum(PRIORITIES),
    name: vine.string().trim().maxLength(120).optional(),
    phone: vine.string().trim().maxLength(30).optional(),
    note: vine.string().trim().maxLength(255).optional(),
    request_id: vine.string().trim().maxLength(64).optional(),
  })
)

/** A visitor takes a number at a kiosk: the service, an optional phone, and the kiosk's id for this tap. */
export const kioskTakeValidator = vine.compile(
  vine.object({
    service_id: vine.number().positive().withoutDecimals(),
    phone: vine.string().trim().maxLength(30).optional(),
    request_id: vine.string().trim().uuid(),
  })
)

/** Tickets a kiosk printed while offline, sent once its network is back (at most 100 at a time). */
export const kioskSyncValidator = vine.compile(
  vine.object({
    tickets: vine
      .array(
        vine.object({
          id: vine.string().trim().uuid(),
          service_id: vine.number().positive().withoutDecimals(),
          sequence: vine.number().positive().withoutDecimals(),
          taken_at: vine.date({ formats: ['iso8601'] }),
          phone: vine.string().trim().maxLength(30).optional(),
        })
      )
      .maxLength(100),
  })
)

/** "I have a booking": the link the scanner read from the booking's QR code, or the code typed in. */
export const kioskCheckInValidator = vine.compile(
  vine.object({
    code: vine.string().trim().maxLength(40).optional().requiredIfMissing('url'),
    url: vine.string().trim().maxLength(300).optional(),
    request_id: vine.string().trim().uuid().optional(),
  })
)

/** An area's name, unique in its branch (the edited area's own id in meta). */
export const areaValidator = vine.withMetaData<BranchMeta>().compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(60).unique(uniqueInBranch('areas', 'name')),
  })
)

export const serviceValidator = vine.withMetaData<BranchMeta>().compile(
  vine.object({
    code: vine
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{1,3}$/)
      .unique(uniqueInBranch('services', 'code')),
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
      .regex(
        /^[^<>{}]*(\{code\}[^<>{}]*)?\{n(:[1-6])?\}[^<>{}]*$|^[^<>{}]*\{n(:[1-6])?\}[^<>{}]*\{code\}[^<>{}]*$/
      )
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
    price: majorAmount().optional(),
    requires_prepayment: vine.boolean().optional(),
    // A new service: the branch's counters that serve it from the start (ticked on the form).
    counter_ids: vine.array(vine.number().positive().withoutDecimals()).distinct().optional(),
  })
)

export const counterValidator = vine.withMetaData<BranchMeta>().compile(
  vine.object({
    name: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(60)
      .unique(uniqueInBranch('counters', 'name')),
    // At least one: a counter that serves nothing can call nobody.
    service_ids: vine.array(vine.number().positive().withoutDecimals()).minLength(1).distinct(),
    area_id: vine.number().positive().withoutDecimals().optional(),
    is_active: vine.boolean().optional(),
  })
)

export const moveValidator = vine.compile(
  vine.object({ direction: vine.enum(['up', 'down'] as const) })
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

/** How the tenant's queues are ordered and shown (app/services/queue_settings.ts). */
export const queueSettingsValidator = vine.compile(
  vine.object({
    weights: vine.object(
      Object.fromEntries(
        PRIORITIES.map((priority) => [priority, vine.number().withoutDecimals().range([0, 10000])])
      ) as Record<(typeof PRIORITIES)[number], ReturnType<typeof vine.number>>
    ),
    ratio_enabled: vine.boolean().optional(),
    ratio_regular: vine.number().withoutDecimals().range([1, 10]).optional(),
    ratio_priority: vine.number().withoutDecimals().range([1, 10]).optional(),
    max_wait_minutes: vine.number().withoutDecimals().range([1, 600]),
    transfer_keeps_place: vine.boolean().optional(),
    show_wait_estimate: vine.boolean().optional(),
  })
)

/** `POST /api/v1/tickets`: a number taken on a visitor's behalf. */
export const createTicketValidator = vine.compile(
  vine.object({
    branch_id: recordId(),
    service_id: recordId(),
    priority: vine.enum(PRIORITIES).optional(),
    phone: vine.string().trim().maxLength(30).optional(),
    name: vine.string().trim().maxLength(120).optional(),
    note: vine.string().trim().maxLength(255).optional(),
  })
)

/**
 * `POST /api/v1/tickets/:id/actions`. Counter actions name the counter; a transfer names a
 * service or a counter (or both); a cancel gives a reason.
 */
export const ticketActionValidator = vine.compile(
  vine.object({
    action: vine.enum(API_TICKET_ACTIONS),
    counter_id: recordId()
      .optional()
      .requiredWhen('action', 'in', [...COUNTER_ACTIONS]),
    to_service_id: recordId().optional(),
    to_counter_id: recordId()
      .optional()
      .requiredWhen(
        (field) => field.parent.action === 'transfer' && field.parent.to_service_id === undefined
      ),
    reason: vine
      .string()
      .trim()
      .minLength(2)
      .maxLength(200)
      .optional()
      .requiredWhen('action', '=', 'cancel'),
  })
)

/** `GET /api/v1/queues?branch_id=&service_id=`. */
export const queuesValidator = vine.compile(
  vine.object({
    branch_id: recordId(),
    service_id: recordId().optional(),
  })
)

/** The most services and counters the first-run setup makes at once (more go through the admin pages). */
export const SETUP_LIMITS = { services: 20, counters: 20 }

/** The lines of a textarea: trimmed, blank ones dropped, a name repeated (in any case) kept once. */
export function serviceNamesOf(text: string) {
  const seen = new Set<string>()
  return text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => {
      const key = line.toLowerCase()
      if (!line || seen.has(key)) return false
      seen.add(key)
      return true
    })
}

/** One service name a line: 1 to 20 of them, each 2 to 80 characters. */
const serviceLines = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const names = serviceNamesOf(value)
  if (
    names.length === 0 ||
    names.length > SETUP_LIMITS.services ||
    names.some((name) => name.length < 2 || name.length > 80)
  ) {
    field.report('Write 1 to {max} services, one a line', 'service_lines', field, {
      max: SETUP_LIMITS.services,
    })
  }
})

/** The first-run setup: the business's name, its services by name (one a line), how many counters. */
export const setupValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(120),
    services: vine.string().trim().maxLength(2000).use(serviceLines()).transform(serviceNamesOf),
    counters: vine.number().withoutDecimals().range([1, SETUP_LIMITS.counters]),
  })
)
