import { IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon'
import { BoundedMap } from '#support/bounded_map'

/** Minutes whose offset a zone remembers; past this many the memory starts afresh. */
const REMEMBERED_MINUTES = 256

/**
 * An IANA time zone (`Asia/Jakarta`) that remembers its UTC offset per minute. Luxon asks
 * Intl for the offset of an IANA zone at every conversion (about 14 µs each, several per
 * taken number: the branch's day and hour, whether it is open); offsets only change on whole
 * minutes, so the answer for a minute stays right. Everything else is luxon's own zone.
 */
class RememberingZone extends Zone {
  readonly #zone: IANAZone
  #offsets = new BoundedMap<number, number>(REMEMBERED_MINUTES)

  constructor(name: string) {
    super()
    this.#zone = IANAZone.create(name)
  }

  get type() {
    return 'iana'
  }

  get name() {
    return this.#zone.name
  }

  get isUniversal() {
    return false
  }

  get isValid() {
    return this.#zone.isValid
  }

  offsetName(ts: number, options: ZoneOffsetOptions) {
    return this.#zone.offsetName(ts, options)
  }

  formatOffset(ts: number, format: ZoneOffsetFormat) {
    return this.#zone.formatOffset(ts, format)
  }

  offset(ts: number) {
    const minute = Math.floor(ts / 60_000)
    let offset = this.#offsets.get(minute)
    if (offset === undefined) {
      offset = this.#zone.offset(ts)
      this.#offsets.set(minute, offset)
    }
    return offset
  }

  equals(other: Zone) {
    return other.type === 'iana' && other.name === this.name
  }
}

const zones = new Map<string, RememberingZone>()

/** The zone named `name` for `DateTime#setZone`, the same instance every time (see RememberingZone). */
export function timeZone(name: string): Zone {
  let zone = zones.get(name)
  if (!zone) {
    zone = new RememberingZone(name)
    if (!zone.isValid) return zone
    zones.set(name, zone)
  }
  return zone
}
