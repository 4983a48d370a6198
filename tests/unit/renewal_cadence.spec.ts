import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import {
  churnAt,
  daysLeft,
  inQuietHours,
  isPaid,
  nextStep,
  outOfQuietHours,
  paidStatus,
  reminderPlan,
  reminderStep,
  type CadenceState,
} from '#services/renewals/renewal_cadence'
import {
  DEFAULT_RENEWAL_SETTINGS,
  parseOffsets,
  parseRenewalSettings,
  type RenewalSettings,
} from '#models/settings/renewal_settings'

const JAKARTA = 'Asia/Jakarta'
const KL = 'Asia/Kuala_Lumpur'

function settings(overrides: Partial<RenewalSettings> = {}): RenewalSettings {
  return { ...DEFAULT_RENEWAL_SETTINGS, ...overrides }
}

function state(overrides: Partial<CadenceState> = {}): CadenceState {
  return {
    expiresOn: '2026-12-31',
    status: 'due',
    churnedOn: null,
    remindersSent: 0,
    done: new Set(),
    ...overrides,
  }
}

const at = (iso: string, zone = JAKARTA) => DateTime.fromISO(iso, { zone })

test.group('Renewal cadence: days and time zones', () => {
  test('steps are named by their day: d-14, d-7, d-1, d+3', ({ assert }) => {
    assert.deepEqual(DEFAULT_RENEWAL_SETTINGS.cadence.map(reminderStep), [
      'd-14',
      'd-7',
      'd-1',
      'd+3',
    ])
    assert.equal(reminderStep(0), 'd+0')
  })

  test('each reminder is due at the end of the quiet hours of its local day', ({ assert }) => {
    const plan = reminderPlan('2026-12-31', settings(), JAKARTA)
    assert.deepEqual(
      plan.map((step) => step.at.setZone(JAKARTA).toISO({ suppressMilliseconds: true })),
      [
        '2026-12-17T08:00:00+07:00',
        '2026-12-24T08:00:00+07:00',
        '2026-12-30T08:00:00+07:00',
        '2027-01-03T08:00:00+07:00',
      ]
    )
  })

  test('the same local hour is a different instant in Jakarta and Kuala Lumpur', ({ assert }) => {
    const jakarta = reminderPlan('2026-12-31', settings(), JAKARTA)[0].at
    const kl = reminderPlan('2026-12-31', settings(), KL)[0].at
    assert.equal(jakarta.toUTC().toISO(), '2026-12-17T01:00:00.000Z')
    assert.equal(kl.toUTC().toISO(), '2026-12-17T00:00:00.000Z')
  })

  test('a step is not due before its local moment, and due from it', ({ assert }) => {
    const s = settings()
    // 07:59 in Jakarta on D-14: still waiting for 08:00.
    const early = nextStep(state(), s, JAKARTA, at('2026-12-17T07:59'))!
    assert.equal(early.step, 'd-14')
    assert.isTrue(early.at > at('2026-12-17T07:59'))
    const due = nextStep(state(), s, JAKARTA, at('2026-12-17T08:00'))!
    assert.equal(due.step, 'd-14')
    assert.isTrue(due.at <= at('2026-12-17T08:00'))
  })

  test('a late start sends the latest due step, not every missed one', ({ assert }) => {
    // Computed on D-5: D-14 and D-7 passed; D-7 is the one due, D-14 is passed over.
    const plan = nextStep(state(), settings(), JAKARTA, at('2026-12-26T10:00'))!
    assert.equal(plan.step, 'd-7')
    // After D-7 is tried, D-14 never comes back: the next is D-1.
    const next = nextStep(
      state({ done: new Set(['d-7']), remindersSent: 1 }),
      settings(),
      JAKARTA,
      at('2026-12-26T10:00')
    )!
    assert.equal(next.step, 'd-1')
  })

  test('days left are counted between local days', ({ assert }) => {
    assert.equal(daysLeft('2026-12-31', '2026-12-17'), 14)
    assert.equal(daysLeft('2026-12-31', '2027-01-03'), -3)
  })
})

test.group('Renewal cadence: quiet hours', () => {
  test('quiet hours over midnight (21:00-08:00) and within a day (12:00-13:00)', ({ assert }) => {
    const night = { quietStart: '21:00', quietEnd: '08:00' }
    assert.isTrue(inQuietHours(at('2026-12-17T22:30'), night, JAKARTA))
    assert.isTrue(inQuietHours(at('2026-12-17T07:59'), night, JAKARTA))
    assert.isFalse(inQuietHours(at('2026-12-17T08:00'), night, JAKARTA))
    assert.isFalse(inQuietHours(at('2026-12-17T20:59'), night, JAKARTA))
    const lunch = { quietStart: '12:00', quietEnd: '13:00' }
    assert.isTrue(inQuietHours(at('2026-12-17T12:30'), lunch, JAKARTA))
    assert.isFalse(inQuietHours(at('2026-12-17T13:00'), lunch, JAKARTA))
    assert.isFalse(
      inQuietHours(at('2026-12-17T03:00'), { quietStart: '00:00', quietEnd: '00:00' }, JAKARTA)
    )
  })

  test('a step due in quiet hours waits until they end, the same night or the next morning', ({
    assert,
  }) => {
    const night = { quietStart: '21:00', quietEnd: '08:00' }
    assert.equal(
      outOfQuietHours(at('2026-12-17T22:30'), night, JAKARTA).toISO(),
      at('2026-12-18T08:00').toISO()
    )
    assert.equal(
      outOfQuietHours(at('2026-12-17T05:00'), night, JAKARTA).toISO(),
      at('2026-12-17T08:00').toISO()
    )
    const noon = at('2026-12-17T14:00')
    assert.equal(outOfQuietHours(noon, night, JAKARTA).toISO(), noon.toISO())
  })

  test('quiet hours are read in the tenant zone, not the server one', ({ assert }) => {
    // 22:30 in Kuala Lumpur is 21:30 in Jakarta: quiet in both; 21:30 in KL is 20:30 in Jakarta.
    const moment = at('2026-12-17T21:30', KL)
    const night = { quietStart: '21:00', quietEnd: '08:00' }
    assert.isTrue(inQuietHours(moment, night, KL))
    assert.isFalse(inQuietHours(moment, night, JAKARTA))
  })

  test('without quiet hours a step is due at the start of its local day', ({ assert }) => {
    const plan = reminderPlan(
      '2026-12-31',
      settings({ quietStart: '00:00', quietEnd: '00:00' }),
      KL
    )
    assert.equal(plan[0].at.toISO(), at('2026-12-17T00:00', KL).toISO())
  })
})

test.group('Renewal cadence: cap, churn, winback, paid', () => {
  test('no reminder goes beyond the cap: the renewal goes to churn instead', ({ assert }) => {
    const s = settings({ attemptCap: 2 })
    const plan = nextStep(
      state({ done: new Set(['d-14', 'd-7']), remindersSent: 2, status: 'reminding' }),
      s,
      JAKARTA,
      at('2026-12-30T09:00')
    )!
    assert.equal(plan.step, 'churn')
    assert.equal(plan.at.toISO(), churnAt('2026-12-31', s, JAKARTA).toISO())
    // Under the cap, D-1 would be due then.
    const under = nextStep(
      state({ done: new Set(['d-14', 'd-7']), remindersSent: 2, status: 'reminding' }),
      settings(),
      JAKARTA,
      at('2026-12-30T09:00')
    )!
    assert.equal(under.step, 'd-1')
  })

  test('after the last reminder the renewal churns the next day, never before the expiry date', ({
    assert,
  }) => {
    const done = new Set(['d-14', 'd-7', 'd-1', 'd+3'])
    const plan = nextStep(
      state({ done, remindersSent: 4, status: 'reminding' }),
      settings(),
      JAKARTA,
      at('2027-01-03T09:00')
    )!
    assert.equal(plan.step, 'churn')
    assert.equal(plan.at.toISO(), at('2027-01-04T00:00').toISO())
    const early = churnAt('2026-12-31', settings({ cadence: [-7, -1] }), JAKARTA)
    assert.equal(early.toISO(), at('2027-01-01T00:00').toISO())
  })

  test('a churned renewal gets the winback steps counted from its churn day, then nothing', ({
    assert,
  }) => {
    const churned = state({ status: 'churned', churnedOn: '2027-01-04', remindersSent: 4 })
    const first = nextStep(churned, settings(), JAKARTA, at('2027-01-04T09:00'))!
    assert.equal(first.step, 'winback-1')
    assert.equal(first.at.toISO(), at('2027-01-18T08:00').toISO())
    const second = nextStep(
      { ...churned, done: new Set(['winback-1']) },
      settings(),
      JAKARTA,
      at('2027-01-18T09:00')
    )!
    assert.equal(second.step, 'winback-2')
    assert.equal(second.at.toISO(), at('2027-02-03T08:00').toISO())
    assert.isNull(
      nextStep(
        { ...churned, done: new Set(['winback-1', 'winback-2']) },
        settings(),
        JAKARTA,
        at('2027-02-03T09:00')
      )
    )
    assert.isNull(nextStep(churned, settings({ winback: [] }), JAKARTA, at('2027-01-04T09:00')))
  })

  test('nothing more goes once paid: renewed on time, recovered after the expiry date', ({
    assert,
  }) => {
    for (const status of ['renewed', 'recovered'] as const)
      assert.isNull(nextStep(state({ status }), settings(), JAKARTA, at('2026-12-24T09:00')))
    assert.equal(
      paidStatus({ expiresOn: '2026-12-31', status: 'reminding' }, '2026-12-31'),
      'renewed'
    )
    assert.equal(
      paidStatus({ expiresOn: '2026-12-31', status: 'reminding' }, '2027-01-01'),
      'recovered'
    )
    assert.equal(
      paidStatus({ expiresOn: '2026-12-31', status: 'churned' }, '2026-12-20'),
      'recovered'
    )
    assert.isTrue(isPaid('2026-12-31', '2027-12-31'))
    assert.isFalse(isPaid('2026-12-31', '2026-12-31'))
    assert.isFalse(isPaid('2026-12-31', null))
  })

  test('settings are read with defaults, and offsets as people write them', ({ assert }) => {
    assert.deepEqual(parseRenewalSettings(null), DEFAULT_RENEWAL_SETTINGS)
    assert.deepEqual(parseRenewalSettings('{"cadence":[3,-7],"attemptCap":99}').cadence, [-7, 3])
    assert.equal(parseRenewalSettings('{"attemptCap":99}').attemptCap, 4)
    assert.equal(parseRenewalSettings('not json').horizonDays, 60)
    assert.deepEqual(parseOffsets('-14, -7; -1 +3', { min: -90, max: 90 }), [-14, -7, -1, 3])
    assert.isNull(parseOffsets('-14, soon', { min: -90, max: 90 }))
    assert.isNull(parseOffsets('-100', { min: -90, max: 90 }))
  })
})
