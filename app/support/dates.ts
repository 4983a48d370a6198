import { DateTime } from 'luxon'

/**
 * The one date formatter: every moment shown to people (pages, tickets, messages) is written here,
 * in a zone and a language, so "04 Des" on one page cannot be "04 Dec" on the next. Callers name
 * the kind of moment, never a format string. The views get these bound to the reader's language
 * (`dateFormats(locale)`, shared by useLocale); Indonesian otherwise, the app's default.
 */
export const DEFAULT_DATE_LOCALE = 'id'

const FORMATS = {
  /** `09:30` */
  clock: 'HH:mm',
  /** `09:30:15` */
  clockSeconds: 'HH:mm:ss',
  /** `22 Nov 2026` */
  date: 'dd LLL yyyy',
  /** `22 Nov` */
  dayMonth: 'd LLL',
  /** `Sen` */
  weekdayShort: 'ccc',
  /** `Senin, 22 November 2026` */
  fullDate: 'cccc, d LLLL yyyy',
  /** `Senin 09:30` */
  weekdayClock: 'cccc HH:mm',
  /** `22 Nov 2026 · 09:30` */
  dateDotClock: 'd LLL yyyy · HH:mm',
  /** `Minggu, 22 November · 09:30` */
  longDateTime: 'cccc, d LLLL · HH:mm',
  /** `2026-11-22 09:30:15`: a log's timestamp, sortable as text. */
  log: 'yyyy-LL-dd HH:mm:ss',
} as const

export type DateKind = keyof typeof FORMATS
type Moment = DateTime | null | undefined

/** `moment` as `kind` in `locale` (and `zone` when given); '' for a missing moment. */
export function formatMoment(
  moment: Moment,
  kind: DateKind | string,
  locale: string = DEFAULT_DATE_LOCALE,
  zone?: string
) {
  if (!moment) return ''
  const local = zone ? moment.setZone(zone) : moment
  const format = kind in FORMATS ? FORMATS[kind as DateKind] : kind
  return local.setLocale(locale).toFormat(format)
}

interface TimeOptions {
  seconds?: boolean
  year?: boolean
  locale?: string
}

/**
 * The view helpers (`clockTime`, `localDate`, `localDateTime`, `numericDateTime`, `logTime`,
 * `longDateTime`), each in a branch's zone and `locale` unless a call names another language
 * (a booking's page in its visitor's language).
 */
export function dateFormats(locale: string = DEFAULT_DATE_LOCALE) {
  const format = (moment: Moment, zone: string, pattern: string, chosen?: string) =>
    formatMoment(moment, pattern, chosen ?? locale, zone)
  return {
    /** `09:30`, or `09:30:15` with `{ seconds: true }`. */
    clockTime: (moment: Moment, zone: string, options: TimeOptions = {}) =>
      format(moment, zone, options.seconds ? FORMATS.clockSeconds : FORMATS.clock),
    /** A calendar day kept as `YYYY-MM-DD` (a due date): `22 Nov 2026`; '' for none. */
    calendarDate: (day: string | null | undefined, chosen?: string) =>
      day ? formatMoment(DateTime.fromISO(day), FORMATS.date, chosen ?? locale) : '',
    /** `22 Nov 2026`. */
    localDate: (moment: Moment, zone: string, chosen?: string) =>
      format(moment, zone, FORMATS.date, chosen),
    /** `22 Nov 2026 09:30`; `{ seconds: true }` adds the seconds, `{ year: false }` leaves out the year. */
    localDateTime: (moment: Moment, zone: string, options: TimeOptions = {}) => {
      const date = options.year === false ? 'dd LLL' : 'dd LLL yyyy'
      const time = options.seconds ? FORMATS.clockSeconds : FORMATS.clock
      return format(moment, zone, `${date} ${time}`, options.locale)
    },
    /** `22-11-2026 09:30`, all in digits (the payments' lists); the same options as `localDateTime`. */
    numericDateTime: (moment: Moment, zone: string, options: TimeOptions = {}) => {
      const date = options.year === false ? 'dd-LL' : 'dd-LL-yyyy'
      const time = options.seconds ? FORMATS.clockSeconds : FORMATS.clock
      return format(moment, zone, `${date} ${time}`)
    },
    /** `2026-11-22 09:30:15`: a log's timestamp (the audit trail, the outbox), sortable as text. */
    logTime: (moment: Moment, zone: string) => format(moment, zone, FORMATS.log),
    /** `Minggu, 22 November · 09:30` in the reader's language: when a closed branch opens again. */
    longDateTime: (moment: Moment, zone: string, chosen?: string) =>
      format(moment, zone, FORMATS.longDateTime, chosen),
  }
}

/** The name of a language in itself, as people pick it: `Bahasa Indonesia`, `English`. */
export const LANGUAGE_NAMES: Record<string, string> = {
  id: 'Bahasa Indonesia',
  en: 'English',
  ms: 'Bahasa Melayu',
}
