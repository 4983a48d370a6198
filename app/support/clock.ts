import { DateTime } from 'luxon'

/**
 * The current time, in one place so that tests can move it (daily reset at midnight,
 * reports of a given day) without touching the system clock.
 */
class Clock {
  #offsetMs = 0

  now() {
    return this.#offsetMs ? DateTime.utc().plus(this.#offsetMs) : DateTime.utc()
  }

  /** Tests only: pretend it is `moment` from now on (time keeps flowing from there). */
  travelTo(moment: DateTime) {
    this.#offsetMs = moment.toMillis() - Date.now()
  }

  reset() {
    this.#offsetMs = 0
  }
}

const clock = new Clock()
export default clock
