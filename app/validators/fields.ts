import vine from '@vinejs/vine'
import { parseMajorAmount } from '#support/prices'
import type { FieldContext, MessagesProviderContact } from '@vinejs/vine/types'
import type { I18n } from '@adonisjs/i18n'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'

/*
| Field shapes shared by the modules' validators.
*/

/** A record id: a positive whole number. */
export const recordId = () => vine.number().positive().withoutDecimals()

/** A calendar date, YYYY-MM-DD. */
export const isoDate = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/)

/**
 * An amount typed in the currency's major unit (`25000`, `25.000` or `25 000` rupiah, `25.50`
 * ringgit), given in minor units (x100).
 */
export const majorAmount = () =>
  vine
    .string()
    .trim()
    .maxLength(20)
    .regex(/^(\d{1,3}([.,\s]\d{3})*|\d+)([.,]\d{1,2})?$/)
    .transform((value) => parseMajorAmount(value) ?? 0)

/** A local time of day, HH:mm (24 h). */
export const clockTime = () =>
  vine
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)

/** A week's opening hours: one row per weekday (0 = Sunday), open or not, at most seven. */
export const weekHours = () =>
  vine
    .array(
      vine.object({
        weekday: vine.number().withoutDecimals().range([0, 6]),
        open: vine.boolean().optional(),
        opens_at: clockTime().optional(),
        closes_at: clockTime().optional(),
      })
    )
    .maxLength(7)

/** A link's last part: lower-case words joined by hyphens (`klinik-sehat`). */
export const slug = () =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .minLength(3)
    .maxLength(60)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)

/** What a branch record's validator knows: its branch and, when editing, the record's own id. */
export interface BranchMeta {
  branchId: number
  id?: number
}

/**
 * `.unique(uniqueInBranch('areas', 'name'))`: no other row of the meta's branch has this value
 * (the edited row itself aside).
 */
export function uniqueInBranch(table: string, column: string) {
  return {
    table,
    column,
    filter: (query: DatabaseQueryBuilderContract, _value: unknown, field: FieldContext) => {
      query.where('branch_id', field.meta.branchId).whereNot('id', field.meta.id ?? 0)
    },
  }
}

/**
 * Validation messages of a module's forms in the user's language: the fields' names and the
 * messages of the module's own rules come from its `prefix` (`channels.validator` reads
 * resources/lang/<locale>/channels.json), everything else from validator.json like every other form.
 */
export function formMessages(i18n: I18n, prefix: string): MessagesProviderContact {
  const translated = (keys: string[]) => keys.find((key) => i18n.hasMessage(key))
  return {
    getMessage(defaultMessage, rule, field: FieldContext, meta?: Record<string, any>) {
      const nameKey = translated([
        `${prefix}.fields.${field.name}`,
        `validator.shared.fields.${field.name}`,
      ])
      const name = nameKey ? i18n.t(nameKey) : String(field.name)
      const key = translated([
        `${prefix}.messages.${field.wildCardPath}.${rule}`,
        `${prefix}.messages.${rule}`,
        `validator.shared.messages.${rule}`,
      ])
      return key
        ? i18n.t(key, { field: name, ...meta })
        : defaultMessage.replace('{{ field }}', name)
    },
  }
}
