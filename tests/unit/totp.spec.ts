import { test } from '@japa/runner'
import {
  base32Decode,
  base32Encode,
  hotp,
  newTotpSecret,
  otpauthUri,
  totp,
  totpStep,
  verifyTotp,
} from '#support/totp'

/** RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in base32. */
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'))

test.group('TOTP (RFC 6238)', () => {
  test('RFC 4226 appendix D: HOTP values of the test key', ({ assert }) => {
    const key = Buffer.from('12345678901234567890')
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((counter) => hotp(key, counter)),
      [
        '755224',
        '287082',
        '359152',
        '969429',
        '338314',
        '254676',
        '287922',
        '162583',
        '399871',
        '520489',
      ]
    )
  })

  test('RFC 6238 appendix B: SHA-1 test vectors (8 digits)', ({ assert }) => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ]
    for (const [time, code] of vectors) assert.equal(totp(RFC_SECRET, time, 8), code)
  })

  test('base32 round trip; the RFC 4648 example; secrets are 160 bits', ({ assert }) => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI')
    assert.equal(base32Decode('mzxw 6ytb oi').toString(), 'foobar')
    const secret = newTotpSecret()
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.lengthOf(base32Decode(secret), 20)
    assert.throws(() => base32Decode('not base32!'))
  })

  test('a code is good in its step and one step either side, once, and never when malformed', ({
    assert,
  }) => {
    const now = 1_800_000_015
    const step = totpStep(now)
    const code = totp(RFC_SECRET, now)
    assert.equal(verifyTotp(RFC_SECRET, code, now), step)
    assert.equal(verifyTotp(RFC_SECRET, code.slice(0, 3) + ' ' + code.slice(3), now), step)
    assert.equal(verifyTotp(RFC_SECRET, code, now + 30), step)
    assert.equal(verifyTotp(RFC_SECRET, code, now - 30), step)
    assert.isNull(verifyTotp(RFC_SECRET, code, now + 60))
    assert.isNull(verifyTotp(RFC_SECRET, code, now, step))
    assert.isNull(verifyTotp(RFC_SECRET, '12345', now))
    assert.isNull(verifyTotp(RFC_SECRET, 'abcdef', now))
  })

  test('the otpauth link carries the secret, issuer and account', ({ assert }) => {
    const uri = otpauthUri('JBSWY3DPEHPK3PXP', 'rina@nusapos.test', 'Loket')
    assert.equal(
      uri,
      'otpauth://totp/Loket%3Arina%40nusapos.test?secret=JBSWY3DPEHPK3PXP&issuer=Loket&algorithm=SHA1&digits=6&period=30'
    )
  })
})
