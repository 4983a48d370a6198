import vine from '@vinejs/vine'
import type { I18n } from '@adonisjs/i18n'
import { formMessages } from '#validators/fields'
import { CUSTOMER_SOURCES, CUSTOMER_STATUSES } from '#enums/field'

/*
| Field-service customers (seed 003, MDM): the customer form, the list's filters (also those of
| the CSV export) and the CSV upload. The phone is checked and put in E.164 by CustomerDirectory,
| which knows the tenant's country.
*/

/** Languages a customer's messages can go in. */
export const CUSTOMER_LOCALES = ['id', 'en', 'ms'] as const

/** The largest CSV file an import takes (about 50,000 customers). */
export const IMPORT_MAX_SIZE = '5mb'

export const customerValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(120),
    phone: vine.string().trim().maxLength(30).optional(),
    address: vine.string().trim().maxLength(500).optional(),
    notes: vine.string().trim().maxLength(2000).optional(),
    /** The language their messages go in; empty for the tenant's. */
    locale: vine.enum(CUSTOMER_LOCALES).optional(),
  })
)

export const customerFilterValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(80).optional(),
    status: vine.enum(CUSTOMER_STATUSES).optional(),
    source: vine.enum(CUSTOMER_SOURCES).optional(),
    page: vine.number().withoutDecimals().range([1, 100_000]).optional(),
  })
)

/** The CSV to import; its bytes are checked to be text by CustomerImport. */
export const customerImportValidator = vine.compile(
  vine.object({
    file: vine.file({ size: IMPORT_MAX_SIZE, extnames: ['csv', 'txt'] }),
  })
)

/** The messages of these forms in the user's language (resources/lang/<locale>/customers.json). */
export const customerMessages = (i18n: I18n) => formMessages(i18n, 'customers.validator')
