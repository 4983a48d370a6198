import { test } from '@japa/runner'
import { refusalLocale } from '#http/early_shedding'

test.group('The language of a refusal (load shedding in front of AdonisJS)', () => {
  test('the API follows Accept-Language, q-values first, English unless a language it speaks is asked', ({
    assert,
  }) => {
    const api = (header?: string) =>
      refusalLocale(
        '/api/v1/tickets',
        '',
        header === undefined ? {} : { 'accept-language': header }
      )
    assert.equal(api(), 'en')
    assert.equal(api('*'), 'en')
    assert.equal(api('fr-FR, de'), 'en')
    assert.equal(api('id-ID'), 'id')
    assert.equal(api('ms;q=0.5, id'), 'id')
    assert.equal(api('id;q=0.2, ms;q=0.9, en;q=0.1'), 'ms')
    assert.equal(api('EN-gb;q=0.8, fr'), 'en')
  })

  test("a visitor's: ?lang= first, then the lang cookie, else Indonesian", ({ assert }) => {
    const page = (query: string, cookie?: string) =>
      refusalLocale('/b/klinik/tickets', query, cookie === undefined ? {} : { cookie })
    assert.equal(page(''), 'id')
    assert.equal(page('lang=en'), 'en')
    assert.equal(page('x=1&lang=ms'), 'ms')
    assert.equal(page('lang=fr', 'lang=en'), 'en')
    assert.equal(page('', 'session=abc; lang=ms'), 'ms')
    assert.equal(page('lang=ms', 'lang=en'), 'ms')
    assert.equal(page('', 'xlang=en'), 'id')
    assert.equal(page('flang=en'), 'id')
  })
})
