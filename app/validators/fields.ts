import vine from '@vinejs/vine'

/*
| Field shapes shared by the modules' validators.
*/

/** A record id: a positive whole number. */
export const recordId = () => vine.number().positive().withoutDecimals()

/** A calendar date, YYYY-MM-DD. */
export const isoDate = () => vine.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/)

/** A local time of day, HH:mm (24 h). */
export const clockTime = () =>
  vine
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)

/** A link's last part: lower-case words joined by hyphens (`klinik-sehat`). */
export const slug = () =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .minLength(3)
    .maxLength(60)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
