import { test } from '@japa/runner'
import {
  midtransSignature,
  validMidtransSignature,
  validXenditToken,
} from '#services/payments/signatures'

/** The Midtrans sample notification of shared/PROVIDERS.md, and its signature with server key `SB-Mid-server-TEST`. */
const SAMPLE = {
  currency: 'IDR',
  fraud_status: 'accept',
  gross_amount: '24145.00',
  order_id: 'test-transaction-321',
  payment_type: 'bank_transfer',
  status_code: '201',
  status_message: 'Success, Bank Transfer transaction is created',
  transaction_id: '6ee793df-9b1d-4343-8eda-cc9663b4222f',
  transaction_status: 'pending',
  transaction_time: '2018-10-24 15:34:33',
  va_numbers: [{ bank: 'bca', va_number: '490526303019299' }],
}
const SERVER_KEY = 'SB-Mid-server-TEST'
const SIGNATURE =
  '00ba2d8703e04eb94c85a0c2ac67769344595d3f797d1fda0aaf3fb48cd65394a17a9409e79098e1e832384e32653ca280dbafb60bba5c0477cdfc6642ddf19e'

test.group('Payment signatures: Midtrans', () => {
  test('the PROVIDERS.md vector: SHA512(order_id + status_code + gross_amount + server_key)', ({
    assert,
  }) => {
    assert.equal(
      midtransSignature(SAMPLE.order_id, SAMPLE.status_code, SAMPLE.gross_amount, SERVER_KEY),
      SIGNATURE
    )
    assert.isTrue(validMidtransSignature({ ...SAMPLE, signature_key: SIGNATURE }, SERVER_KEY))
    assert.isTrue(
      validMidtransSignature({ ...SAMPLE, signature_key: SIGNATURE.toUpperCase() }, SERVER_KEY),
      'hex in either case'
    )
  })

  test('the amount is signed as the string received: "24145.00" is not "24145" nor "24145.0"', ({
    assert,
  }) => {
    for (const gross of ['24145', '24145.0', '24145.000', ' 24145.00']) {
      assert.isFalse(
        validMidtransSignature(
          { ...SAMPLE, gross_amount: gross, signature_key: SIGNATURE },
          SERVER_KEY
        ),
        gross
      )
    }
  })

  test('another key, a changed field, a truncated or missing signature do not verify', ({
    assert,
  }) => {
    assert.isFalse(
      validMidtransSignature({ ...SAMPLE, signature_key: SIGNATURE }, 'SB-Mid-server-OTHER')
    )
    assert.isFalse(validMidtransSignature({ ...SAMPLE, signature_key: SIGNATURE }, ''))
    assert.isFalse(
      validMidtransSignature(
        { ...SAMPLE, status_code: '200', signature_key: SIGNATURE },
        SERVER_KEY
      )
    )
    assert.isFalse(
      validMidtransSignature(
        { ...SAMPLE, order_id: 'test-transaction-322', signature_key: SIGNATURE },
        SERVER_KEY
      )
    )
    assert.isFalse(
      validMidtransSignature({ ...SAMPLE, signature_key: SIGNATURE.slice(0, 64) }, SERVER_KEY)
    )
    assert.isFalse(
      validMidtransSignature(
        { ...SAMPLE, signature_key: `${SIGNATURE.slice(0, 127)}g` },
        SERVER_KEY
      )
    )
    assert.isFalse(validMidtransSignature({ ...SAMPLE, signature_key: '' }, SERVER_KEY))
  })
})

test.group('Payment signatures: Xendit callback token', () => {
  test("the x-callback-token must equal the account's token exactly", ({ assert }) => {
    const token = 'cb-token-0123456789abcdef'
    assert.isTrue(validXenditToken(token, token))
    assert.isFalse(validXenditToken('cb-token-0123456789abcdeF', token))
    assert.isFalse(validXenditToken(`${token} `, token))
    assert.isFalse(validXenditToken('cb-token', token), 'a prefix')
    assert.isFalse(validXenditToken(`${token}0`, token), 'longer')
  })

  test('a missing header or an account without a token never matches', ({ assert }) => {
    assert.isFalse(validXenditToken(undefined, 'token'))
    assert.isFalse(validXenditToken(null, 'token'))
    assert.isFalse(validXenditToken('', ''))
    assert.isFalse(validXenditToken('token', ''))
    assert.isFalse(validXenditToken('token', null))
  })
})
