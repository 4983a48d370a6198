import vine from '@vinejs/vine'
import type { I18n } from '@adonisjs/i18n'
import { formMessages } from '#validators/fields'
import Outlet, { OUTLET_ID_PATTERN } from '#models/outlet'
import { OUTLET_LIMITS, parseDay } from '#services/inbox/outlet_directory'
import { MAX_SCOPES, parseScopes } from '#services/inbox/user_scopes'
import { OUTLET_STATUSES } from '#enums/inbox'

/*
| The WhatsApp inbox (seed 004): one file for the module's forms, a block per screen.
*/

/*
|--------------------------------------------------------------------------
| Outlets and user scopes
|--------------------------------------------------------------------------
| The outlet form (fid/oid unique per tenant: a 422 under the field; the service answers a race
| with 409), the list's search, the CSV upload, linking a contact by phone, and a user's
| franchise/outlet scopes typed one a line. Messages in resources/lang/<locale>/outlets.json.
| OutletDirectory and UserScopes check the same rules again for callers without a form.
*/

/** The largest CSV an outlet import takes (about 50,000 outlets). */
export const OUTLET_IMPORT_MAX_SIZE = '5mb'

/** A franchise or outlet id as the POS writes it (OUTLET_ID_PATTERN). */
const outletId = () => vine.string().trim().minLength(1).maxLength(40).regex(OUTLET_ID_PATTERN)

/** A real calendar day, `YYYY-MM-DD` (what a date input sends): 2026-02-30 is refused. */
const realDay = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && parseDay(value) !== value)
    field.report('The {{ field }} field must be a real date', 'real_day', field)
})

/** Lines of `fid` or `fid/oid` (UserScopes.parseScopes): the first bad line is reported. */
const scopeLines = vine.createRule((value, _, field) => {
  if (typeof value !== 'string') return
  const { scopes, bad } = parseScopes(value)
  if (bad !== null)
    field.report('Line {{ line }} is neither fid nor fid/oid', 'scope_line', field, { line: bad })
  else if (scopes.length > MAX_SCOPES)
    field.report('At most {{ max }} lines', 'scope_count', field, { max: MAX_SCOPES })
})

/** The outlet form; `meta.id` is the outlet being edited (its own fid/oid is no clash). */
export const outletValidator = vine.withMetaData<{ tenantId: number; id?: number }>().compile(
  vine.object({
    fid: outletId(),
    oid: outletId().unique(async (_db, value, field) => {
      const clash = await Outlet.forTenant(field.meta.tenantId)
        .where('fid', String(field.parent?.fid ?? '').trim())
        .where('oid', value)
        .whereNot('id', field.meta.id ?? 0)
        .select('id')
        .first()
      return !clash
    }),
    name: vine.string().trim().minLength(1).maxLength(OUTLET_LIMITS.name),
    address: vine.string().trim().maxLength(OUTLET_LIMITS.address).optional(),
    phone: vine.string().trim().maxLength(30).optional(),
    expires_on: vine
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .use(realDay())
      .optional(),
    status: vine.enum(OUTLET_STATUSES).optional(),
  })
)

/** The list's search and page (also the agent's picker). */
export const outletSearchValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(80).optional(),
    page: vine.number().withoutDecimals().range([1, 100_000]).optional(),
  })
)

/** The CSV to import; OutletDirectory checks its bytes are text. */
export const outletImportValidator = vine.compile(
  vine.object({
    file: vine.file({ size: OUTLET_IMPORT_MAX_SIZE, extnames: ['csv', 'txt'] }),
  })
)

/** A contact to link to an outlet, by the phone they write from. */
export const outletLinkValidator = vine.compile(
  vine.object({
    phone: vine.string().trim().minLength(3).maxLength(30),
  })
)

/** A user's scopes, one `fid` or `fid/oid` a line; empty clears them (the user sees everything). */
export const userScopesValidator = vine.compile(
  vine.object({
    scopes: vine
      .string()
      .maxLength(20_000)
      .use(scopeLines())
      .transform((value) => parseScopes(value).scopes)
      .optional(),
  })
)

/** The messages of these forms in the user's language (resources/lang/<locale>/outlets.json). */
export const outletMessages = (i18n: I18n) => formMessages(i18n, 'outlets.validator')
