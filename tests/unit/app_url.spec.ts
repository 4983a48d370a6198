import { test } from '@japa/runner'
import type { NetworkInterfaceInfo } from 'node:os'
import {
  chooseAppUrl,
  isLoopbackUrl,
  lanAddress,
  pageOrigin,
  requestOrigin,
} from '#support/app_url'
import { formatStartBanner } from '#support/start_banner'

function nic(address: string, options: Partial<NetworkInterfaceInfo> = {}) {
  return {
    address,
    netmask: '255.255.255.0',
    family: address.includes(':') ? 'IPv6' : 'IPv4',
    mac: '00:00:00:00:00:00',
    internal: false,
    cidr: null,
    ...options,
  } as NetworkInterfaceInfo
}

/** A laptop on the shop's Wi-Fi: loopback first, then an IPv6 and an IPv4 address on wlan0. */
const onWifi = {
  lo: [nic('127.0.0.1', { internal: true }), nic('::1', { internal: true })],
  wlan0: [nic('fe80::1c2d:3e4f:5a6b:7c8d'), nic('192.168.1.20')],
}
const offline = { lo: [nic('127.0.0.1', { internal: true })] }

function request(protocol: string, host: string | null) {
  return { protocol: () => protocol, host: () => host }
}

test.group('Links: the address of links that leave the request', () => {
  test('APP_URL set explicitly wins, without its trailing slash', ({ assert }) => {
    const choice = chooseAppUrl({
      setting: 'https://antre.klinikku.id/',
      host: '0.0.0.0',
      port: 3333,
      interfaces: onWifi,
    })
    assert.deepEqual(choice, { url: 'https://antre.klinikku.id', source: 'app_url' })
  })

  test('APP_URL unset: the first non-internal IPv4 address, with the port', ({ assert }) => {
    assert.equal(lanAddress(onWifi), '192.168.1.20')
    assert.deepEqual(chooseAppUrl({ host: '0.0.0.0', port: 4100, interfaces: onWifi }), {
      url: 'http://192.168.1.20:4100',
      source: 'lan',
    })
    // An empty APP_URL= line in .env is the same as none.
    assert.equal(
      chooseAppUrl({ setting: '', port: 3333, interfaces: onWifi }).url,
      'http://192.168.1.20:3333'
    )
  })

  test('APP_URL unset and no network: localhost, which the dashboard warns about', ({ assert }) => {
    const choice = chooseAppUrl({ host: '0.0.0.0', port: 3333, interfaces: offline })
    assert.deepEqual(choice, { url: 'http://localhost:3333', source: 'localhost' })
    assert.isTrue(isLoopbackUrl(choice.url))
    assert.isTrue(isLoopbackUrl('http://127.0.0.1:3339'))
    assert.isTrue(isLoopbackUrl('http://[::1]:3333'))
    assert.isFalse(isLoopbackUrl('http://192.168.1.20:3333'))
    assert.isFalse(isLoopbackUrl('https://antre.klinikku.id'))
  })

  test('HOST naming one address: links use it; a loopback HOST means localhost', ({ assert }) => {
    assert.equal(
      chooseAppUrl({ host: '10.0.0.5', port: 3333, interfaces: onWifi }).url,
      'http://10.0.0.5:3333'
    )
    assert.equal(
      chooseAppUrl({ host: '127.0.0.1', port: 3333, interfaces: onWifi }).url,
      'http://localhost:3333'
    )
  })
})

test.group('Links: a page uses the address its browser used', () => {
  test('the request origin: protocol and host as the browser sent them', ({ assert }) => {
    const lan = 'http://192.168.1.20:3333'
    assert.equal(pageOrigin(request('http', '192.168.1.20:3333'), 'https://antre.klinikku.id'), lan)
    assert.equal(
      pageOrigin(request('https', 'Antre.Klinikku.ID'), lan),
      'https://antre.klinikku.id'
    )
    assert.equal(requestOrigin(request('http', '[fe80::1]:3333')), 'http://[fe80::1]:3333')
  })

  test('a page opened on the server itself shows the address others can open', ({ assert }) => {
    const lan = 'http://192.168.1.20:3333'
    assert.equal(pageOrigin(request('http', 'localhost:3333'), lan), lan)
    assert.equal(pageOrigin(request('http', '127.0.0.1:3333'), lan), lan)
    // With nothing better, localhost it is.
    assert.equal(
      pageOrigin(request('http', 'localhost:3333'), 'http://localhost:3333'),
      'http://localhost:3333'
    )
  })

  test('a Host that is not a hostname or IP with a port is ignored', ({ assert }) => {
    const fallback = 'http://192.168.1.20:3333'
    for (const host of [
      null,
      '',
      'evil.example/phish?',
      'a b',
      'user@evil.example',
      'evil.example:99999',
      '<script>',
      'x'.repeat(300),
    ]) {
      assert.isNull(requestOrigin(request('http', host)), String(host))
      assert.equal(pageOrigin(request('http', host), fallback), fallback)
    }
    assert.isNull(requestOrigin(request('javascript', 'evil.example')))
  })
})

test.group('Links: the start banner', () => {
  const demo = {
    links: [
      { label: 'take a number', path: '/b/sehat-sentosa' },
      { label: 'TV display', path: '/display/demo-tv' },
    ],
    accounts: [
      { email: 'owner@sehat.test', role: 'owner' },
      { email: 'platform@loket.test', role: 'platform admin' },
    ],
    password: 'loket-demo',
  }

  test('local and LAN addresses, the demo on its first run, and how to stop', ({ assert }) => {
    const banner = formatStartBanner({
      host: '0.0.0.0',
      port: 4100,
      lan: '192.168.1.20',
      links: { url: 'http://192.168.1.20:4100', source: 'lan' },
      demo,
    })
    assert.match(banner, /on this computer\s+http:\/\/localhost:4100\n/)
    assert.match(banner, /on the network\s+http:\/\/192\.168\.1\.20:4100\n/)
    assert.include(banner, 'http://192.168.1.20:4100/b/sehat-sentosa')
    assert.include(banner, 'http://192.168.1.20:4100/display/demo-tv')
    assert.include(banner, 'password loket-demo')
    assert.match(banner, /owner@sehat\.test\s+owner\n/)
    assert.match(banner, /platform@loket\.test\s+platform admin\n/)
    assert.include(banner, 'Ctrl+C to stop.')
  })

  test('later runs: no demo; without a network it says phones cannot reach it', ({ assert }) => {
    const banner = formatStartBanner({
      host: '0.0.0.0',
      port: 3333,
      lan: null,
      links: { url: 'http://localhost:3333', source: 'localhost' },
      demo: null,
    })
    assert.include(banner, 'http://localhost:3333')
    assert.include(banner, 'phones and TVs cannot reach this server')
    assert.include(banner, 'set APP_URL in .env')
    assert.notInclude(banner, 'loket-demo')
    assert.notInclude(banner, 'owner@')
    assert.include(banner, 'Ctrl+C to stop.')
  })
})
