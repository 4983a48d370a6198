import { test } from '@japa/runner'
import { isNonPublicAddress, webhookUrlProblem } from '#services/messaging/webhook_url'

test.group('Webhook URLs', () => {
  test('anywhere: only absolute http and https URLs', ({ assert }) => {
    const development = { production: false }
    assert.isNull(webhookUrlProblem('https://hooks.example.com/loket?x=1', development))
    assert.isNull(webhookUrlProblem('http://127.0.0.1:8080/hook', development))
    assert.equal(webhookUrlProblem('ftp://example.com/hook', development), 'scheme')
    assert.equal(webhookUrlProblem('javascript:alert(1)', development), 'scheme')
    assert.equal(webhookUrlProblem('example.com/hook', development), 'invalid')
    assert.equal(webhookUrlProblem('https://', development), 'invalid')
  })

  test('in production: https only, to a public host', ({ assert }) => {
    const production = { production: true }
    assert.isNull(webhookUrlProblem('https://hooks.example.com/loket', production))
    assert.isNull(webhookUrlProblem('https://8.8.8.8/hook', production))
    assert.isNull(webhookUrlProblem('https://[2606:4700:4700::1111]/hook', production))
    assert.equal(webhookUrlProblem('http://hooks.example.com/loket', production), 'https')
    for (const url of [
      'https://localhost/hook',
      'https://LOCALHOST./hook',
      'https://api.localhost/hook',
      'https://127.0.0.1/hook',
      'https://2130706433/hook',
      'https://0x7f.1/hook',
      'https://0.0.0.0/hook',
      'https://10.1.2.3/hook',
      'https://172.16.0.1/hook',
      'https://172.31.255.255/hook',
      'https://192.168.1.10/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/hook',
      'https://[::1]/hook',
      'https://[::]/hook',
      'https://[fe80::1]/hook',
      'https://[fd00::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::ffff:10.0.0.1]/hook',
    ]) {
      assert.equal(webhookUrlProblem(url, production), 'local_host', url)
    }
    assert.isNull(webhookUrlProblem('https://172.32.0.1/hook', production))
  })

  test('address literals are told apart from public ones', ({ assert }) => {
    assert.isTrue(isNonPublicAddress('192.168.0.1'))
    assert.isTrue(isNonPublicAddress('[::1]'))
    assert.isFalse(isNonPublicAddress('1.1.1.1'))
    assert.isFalse(isNonPublicAddress('example.com'))
  })
})
