import { test } from '@japa/runner'
import { midtransVerdict, nextPaymentStatus, xenditVerdict } from '#services/payments/payment_state'
import { toWholeUnits } from '#services/payments/gateway'
import { minorUnits } from '#services/payments/gateway'
import DomainError from '#exceptions/domain_error'
import type { PaymentStatus } from '#enums/booking'

test.group('Payment state machine', () => {
  test('Midtrans: settlement, or capture accepted by fraud detection, is paid; a challenged capture and a deny wait', ({
    assert,
  }) => {
    assert.equal(midtransVerdict('settlement', undefined), 'paid')
    assert.equal(midtransVerdict('capture', 'accept'), 'paid')
    assert.equal(midtransVerdict('capture', 'challenge'), 'pending')
    assert.equal(midtransVerdict('pending', 'accept'), 'pending')
    assert.equal(midtransVerdict('deny', 'deny'), 'pending')
    assert.equal(midtransVerdict('cancel', null), 'failed')
    assert.equal(midtransVerdict('failure', null), 'failed')
    assert.equal(midtransVerdict('expire', null), 'expired')
    for (const status of ['refund', 'partial_refund', 'chargeback', 'partial_chargeback'])
      assert.equal(midtransVerdict(status, null), 'refunded')
    assert.equal(midtransVerdict('something_new', null), 'unknown')
  })

  test('Xendit: PAID (or SETTLED) is paid, EXPIRED expired', ({ assert }) => {
    assert.equal(xenditVerdict('PAID'), 'paid')
    assert.equal(xenditVerdict('SETTLED'), 'paid')
    assert.equal(xenditVerdict('EXPIRED'), 'expired')
    assert.equal(xenditVerdict('paid'), 'unknown')
  })

  test('a payment only moves forward: stale statuses after a final one change nothing', ({
    assert,
  }) => {
    const cases: [PaymentStatus, Parameters<typeof nextPaymentStatus>[1], PaymentStatus | null][] =
      [
        ['pending', 'paid', 'paid'],
        ['pending', 'pending', null],
        ['pending', 'failed', 'failed'],
        ['pending', 'expired', 'expired'],
        ['pending', 'refunded', null],
        ['paid', 'pending', null],
        ['paid', 'expired', null],
        ['paid', 'failed', null],
        ['paid', 'paid', null],
        ['paid', 'refunded', 'refunded'],
        ['refunded', 'paid', null],
        ['refunded', 'refunded', null],
        ['expired', 'failed', null],
        ['failed', 'expired', null],
        // Money received after the page expired or failed is still money the customer paid.
        ['expired', 'paid', 'paid'],
        ['failed', 'paid', 'paid'],
        ['pending', 'unknown', null],
      ]
    for (const [current, verdict, next] of cases)
      assert.equal(nextPaymentStatus(current, verdict), next, `${current} + ${verdict}`)
  })
})

test.group('Payment amounts', () => {
  test('minor units go to the gateways as whole rupiah; anything else is refused, never rounded', ({
    assert,
  }) => {
    assert.equal(toWholeUnits(2_500_000, 'IDR'), 25_000)
    assert.equal(toWholeUnits(100, 'IDR'), 1)
    for (const amount of [2_500_050, 0, -100, 12.5, Number.MAX_SAFE_INTEGER + 1]) {
      try {
        toWholeUnits(amount, 'IDR')
        assert.fail(`${amount} was accepted`)
      } catch (error) {
        assert.instanceOf(error, DomainError)
        assert.equal((error as DomainError).key, 'payment_amount_not_whole')
        assert.equal((error as DomainError).status, 422)
      }
    }
  })

  test('Midtrans amounts ("250000.00") read as minor units', ({ assert }) => {
    assert.equal(minorUnits('250000.00'), 25_000_000)
    assert.equal(minorUnits('24145.00'), 2_414_500)
    assert.equal(minorUnits('24145'), 2_414_500)
    assert.equal(minorUnits('10.5'), 1_050)
    assert.isNull(minorUnits('10.555'))
    assert.isNull(minorUnits('-1.00'))
    assert.isNull(minorUnits('1e5'))
    assert.isNull(minorUnits(250000))
  })
})
