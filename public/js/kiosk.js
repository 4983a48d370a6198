// The kiosk (pages/kiosk/show.edge): language -> service -> optional phone -> the ticket, printed.
// "I have a booking" -> scan the booking's QR code (a keyboard-wedge scanner types its link and
// Enter) or type its code -> checked in, with the queue number printed when the booking joined the queue.
//
// Online it takes numbers from the server and prints the ticket's print view from a hidden
// frame. When the server cannot be reached it keeps issuing: it prints the next number of the
// block reserved for it, under a ticket id it makes itself, and queues the ticket; the queue is
// sent once the network is back, then the blocks are topped up (app/services/kiosk_issuer.ts).
// What it holds lives in localStorage, so a reload or a power cut loses nothing.
;(function () {
  'use strict'

  var RETURN_AFTER_S = 10 // the ticket and message screens go back to the start by themselves
  var IDLE_AFTER_MS = 45000 // a visitor who walks away half-way
  var REFRESH_EVERY_MS = 60000 // top up the blocks and the waiting counts
  var SYNC_EVERY_MS = 15000 // retry sending tickets printed offline
  var RELOAD_AFTER_MS = 3 * 3600 * 1000 // a fresh page (session, CSRF token, services) now and then, when idle
  var TIMEOUT_MS = 6000
  var SYNC_BATCH = 50
  var DATE_LOCALES = { id: 'id-ID', en: 'en-GB', ms: 'ms-MY' }

  var root = document.querySelector('[data-kiosk]')
  if (!root) return
  var config = JSON.parse(root.getAttribute('data-kiosk'))
  var storageKey = 'loket.kiosk:' + location.pathname.replace(/\/$/, '')
  var loadedAt = Date.now()
  var locale = config.locale
  var screen = 'start'
  var waiting = config.waiting
  var choice = { serviceId: null, digits: '' }
  var timers = { idle: null, countdown: null }
  var syncing = false

  // --- what the kiosk holds: today's unused reserved numbers, the numbers it printed offline
  // today (never printed twice), and the offline tickets not yet sent.
  var state = readState()

  function readState() {
    var empty = { date: null, held: {}, spent: {}, outbox: [] }
    try {
      var stored = JSON.parse(localStorage.getItem(storageKey) || 'null')
      return stored && stored.outbox ? stored : empty
    } catch (e) {
      return empty
    }
  }
  function saveState() {
    localStorage.setItem(storageKey, JSON.stringify(state))
    var held = 0
    Object.keys(state.held).forEach(function (id) {
      held += state.held[id].length
    })
    root.setAttribute('data-held', String(held))
    root.setAttribute('data-outbox', String(state.outbox.length))
  }

  // --- texts
  function t(key, values) {
    var text = config.messages[locale][key] || config.messages[config.locale][key] || key
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace('{' + name + '}', values[name])
    })
    return text
  }
  function $(selector, scope) {
    return (scope || document).querySelector(selector)
  }
  function $$(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector))
  }
  function serviceOf(id) {
    return config.services.filter(function (service) {
      return service.id === Number(id)
    })[0]
  }

  function translate() {
    document.documentElement.lang = locale
    $$('[data-t]').forEach(function (element) {
      element.textContent = t(element.getAttribute('data-t'))
    })
    $$('[data-t-label]').forEach(function (element) {
      element.setAttribute('aria-label', t(element.getAttribute('data-t-label')))
    })
    $$('[data-service]').forEach(function (button) {
      $('[data-service-name]', button).textContent = serviceOf(
        button.getAttribute('data-service')
      ).names[locale]
    })
    showWaiting()
  }
  function showWaiting() {
    $$('[data-service]').forEach(function (button) {
      var count = waiting[button.getAttribute('data-service')] || 0
      $('[data-waiting]', button).textContent = count
        ? t('waiting', { count: count })
        : t('waiting_none')
    })
  }

  // --- screens
  function show(name) {
    screen = name
    clearTimeout(timers.idle)
    clearInterval(timers.countdown)
    $$('[data-screen]').forEach(function (section) {
      section.hidden = section.getAttribute('data-screen') !== name
    })
    var heading = $('[data-screen="' + name + '"] h1')
    if (heading) heading.focus()
    if (name === 'ticket' || name === 'message' || name === 'booking-done')
      countdown($('[data-screen="' + name + '"] [data-countdown]'))
    else if (name !== 'start') timers.idle = setTimeout(restart, IDLE_AFTER_MS)
  }
  function restart() {
    locale = config.locale
    translate()
    show('start')
  }
  function countdown(element) {
    var left = RETURN_AFTER_S
    element.textContent = t('returning', { seconds: left })
    timers.countdown = setInterval(function () {
      left -= 1
      if (left <= 0) return restart()
      element.textContent = t('returning', { seconds: left })
    }, 1000)
  }
  function showMessage(text) {
    $('[data-message]').textContent = text
    show('message')
  }
  function busy(on) {
    $('[data-busy]').hidden = !on
  }
  function setOffline(offline) {
    $('[data-offline]').hidden = !offline
  }

  // --- the phone number, typed on the on-screen keypad
  function renderPhone() {
    $('[data-phone]').textContent = choice.digits.replace(/(\d{4})(?=\d)/g, '$1 ')
    $('[data-confirm]').disabled = choice.digits.length === 0
  }
  function phoneError(text) {
    var element = $('[data-phone-error]')
    element.textContent = text || ''
    element.hidden = !text
  }
  function press(key) {
    if (key === 'delete') choice.digits = choice.digits.slice(0, -1)
    else if (key === 'clear') choice.digits = ''
    else if (choice.digits.length < 15) choice.digits += key
    phoneError(null)
    renderPhone()
  }

  // --- talking to the server. Resolves with any answer below 500; a network failure, a time-out
  // or a server error rejects: for the kiosk those all mean "the server cannot issue now".
  function send(url, body) {
    var controller = new AbortController()
    var timer = setTimeout(function () {
      controller.abort()
    }, TIMEOUT_MS)
    return fetch(url + '?lang=' + locale, {
      method: 'POST',
      credentials: 'same-origin',
      signal: controller.signal,
      headers: {
        'content-type': 'application/json',
        'accept': 'application/json',
        'x-csrf-token': config.csrfToken,
      },
      body: JSON.stringify(body),
    }).then(
      function (response) {
        clearTimeout(timer)
        if (response.status >= 500) throw new Error('server unavailable: ' + response.status)
        setOffline(false)
        if (response.status === 403) location.reload() // the session (and its CSRF token) expired
        return response
          .json()
          .catch(function () {
            return {}
          })
          .then(function (json) {
            return { ok: response.ok, status: response.status, body: json }
          })
      },
      function (error) {
        clearTimeout(timer)
        throw error
      }
    )
  }
  function errorMessage(response) {
    return (response.body && response.body.error && response.body.error.message) || t('error')
  }

  // --- taking a number
  function take(phone) {
    busy(true)
    var service = serviceOf(choice.serviceId)
    send(config.urls.take, {
      service_id: service.id,
      phone: phone || undefined,
      request_id: uuid(),
    }).then(
      function (response) {
        busy(false)
        if (response.ok) {
          var ticket = response.body.ticket
          showTicket(ticket, service, false)
          printFrame(ticket.print_url + '?lang=' + locale)
          refresh()
        } else if (response.status === 422 && phone) {
          phoneError(errorMessage(response))
        } else {
          showMessage(errorMessage(response))
        }
      },
      function () {
        // Had the request reached the server after all, its ticket simply waits unclaimed: the
        // visitor holds the offline one.
        busy(false)
        issueOffline(service, phone)
      }
    )
  }

  function issueOffline(service, phone) {
    setOffline(true)
    var numbers = state.date === today() ? state.held[service.id] || [] : []
    if (numbers.length === 0) return showMessage(t('offline_empty'))
    var sequence = numbers.shift()
    var ticket = {
      id: uuid(),
      service_id: service.id,
      sequence: sequence,
      taken_at: new Date().toISOString(),
    }
    if (phone) ticket.phone = phone
    state.spent[service.id] = (state.spent[service.id] || []).concat(sequence)
    state.outbox.push(ticket)
    saveState() // before printing: a number is never printed twice, even after a power cut
    var url = config.urls.ticket.replace('ticket_id', ticket.id)
    var shown = {
      id: ticket.id,
      number: formatNumber(service, sequence),
      taken_at: ticket.taken_at,
      qr_svg: qrSvg(url),
    }
    showTicket(shown, service, true)
    fillPaper(shown, service)
    printPage(window, document)
  }

  function showTicket(ticket, service, offline) {
    var section = $('[data-screen="ticket"]')
    section.setAttribute('data-ticket-id', ticket.id)
    $('[data-ticket="number"]', section).textContent = ticket.number
    $('[data-ticket="service"]', section).textContent = service.names[locale]
    $('[data-ticket="ahead"]', section).textContent = offline ? '' : aheadText(ticket.ahead)
    $('[data-ticket="ahead"]', section).hidden = offline
    $('[data-ticket="when"]', section).textContent = when(ticket.taken_at)
    $('[data-ticket="offline"]', section).hidden = !offline
    $('[data-ticket="qr"]', section).innerHTML = ticket.qr_svg
    show('ticket')
  }
  function aheadText(count) {
    return count ? t('ahead', { count: count }) : t('ahead_none')
  }

  // --- "I have a booking": the booking's link (scanned) or its code (typed) -> checked in
  function openBooking(firstKey) {
    show('booking')
    var input = $('[data-booking-code]')
    input.value = firstKey || ''
    bookingError(null)
    input.focus()
  }
  function bookingError(text) {
    var element = $('[data-booking-error]')
    element.textContent = text || ''
    element.hidden = !text
  }
  function pressCode(key) {
    var input = $('[data-booking-code]')
    if (key === 'delete') input.value = input.value.slice(0, -1)
    else if (key === 'clear') input.value = ''
    else if (input.value.length < 12) input.value += key
    bookingError(null)
    input.focus()
  }
  function checkIn() {
    var typed = $('[data-booking-code]').value.trim()
    if (typed.length < 5) return bookingError(t('booking_result.not_found'))
    var body = /booking\/|^https?:/i.test(typed) ? { url: typed } : { code: typed }
    body.request_id = uuid()
    busy(true)
    send(config.urls.bookingCheckIn, body).then(
      function (response) {
        busy(false)
        var answer = response.body || {}
        if (response.ok) return showCheckedIn(answer)
        if (answer.result === 'not_found' || response.status === 422) {
          $('[data-booking-code]').value = ''
          return bookingError(answer.message || errorMessage(response))
        }
        showMessage(answer.message || errorMessage(response))
      },
      function () {
        busy(false)
        showMessage(t('error'))
      }
    )
  }
  function showCheckedIn(answer) {
    var section = $('[data-screen="booking-done"]')
    $('[data-booking-message]', section).textContent = answer.message
    var ticket = answer.ticket
    $('[data-booking-ticket]', section).hidden = !ticket
    if (ticket) {
      section.setAttribute('data-ticket-id', ticket.id)
      $('[data-booking-ticket-field="number"]', section).textContent = ticket.number
      $('[data-booking-ticket-field="service"]', section).textContent = ticket.service
      $('[data-booking-ticket-field="ahead"]', section).textContent = aheadText(ticket.ahead)
      $('[data-booking-ticket-field="qr"]', section).innerHTML = ticket.qr_svg
    }
    show('booking-done')
    if (ticket) printFrame(ticket.print_url + '?lang=' + locale)
  }

  // --- printing. Online: the print view in a hidden frame. Offline: this page's own ticket sheet.
  function printFrame(url) {
    var frame = $('[data-print-frame]')
    frame.onload = function () {
      printPage(frame.contentWindow, frame.contentDocument)
    }
    frame.src = url
  }
  function fillPaper(ticket, service) {
    var paper = $('.kiosk-sheet .paper')
    $('[data-paper="number"]', paper).textContent = ticket.number
    $('[data-paper="service"]', paper).textContent = service.names[locale]
    $('[data-paper="ahead"]', paper).textContent = ''
    $('[data-paper="qr"]', paper).innerHTML = ticket.qr_svg
    $('[data-paper="when"]', paper).textContent = when(ticket.taken_at)
  }
  // The roll is cut to the ticket's length: the page is as long as the printed ticket.
  function printPage(win, doc) {
    var paper = doc.querySelector('.paper')
    if (paper) {
      var style =
        doc.getElementById('kiosk-page-size') || doc.head.appendChild(doc.createElement('style'))
      style.id = 'kiosk-page-size'
      var lengthMm = Math.ceil((paper.getBoundingClientRect().height * 25.4) / 96) + 4
      style.textContent =
        '@page { size: ' +
        paper.getAttribute('data-paper-width') +
        'mm ' +
        lengthMm +
        'mm; margin: 0; }'
    }
    win.focus()
    win.print()
  }

  // --- blocks for offline issuing, and sending what was printed offline
  function refresh() {
    if (state.outbox.length) return sync() // the server first learns what was printed, then tops up
    return send(config.urls.reserve, {}).then(
      function (response) {
        if (!response.ok) return
        var body = response.body
        if (body.service_date !== state.date) {
          state.date = body.service_date
          state.spent = {}
        }
        state.held = {}
        body.held.forEach(function (block) {
          var spent = state.spent[block.service_id] || []
          state.held[block.service_id] = block.numbers.filter(function (number) {
            return spent.indexOf(number) < 0
          })
        })
        saveState()
        waiting = body.waiting
        showWaiting()
        if (screen === 'start' && Date.now() - loadedAt > RELOAD_AFTER_MS) location.reload()
      },
      function () {
        setOffline(true)
      }
    )
  }

  function sync() {
    if (syncing || state.outbox.length === 0) return Promise.resolve()
    syncing = true
    var batch = state.outbox.slice(0, SYNC_BATCH)
    return send(config.urls.sync, { tickets: batch }).then(
      function (response) {
        syncing = false
        var answered = {}
        if (response.ok) {
          response.body.results.forEach(function (result) {
            answered[result.id] = true
            if (result.status === 'refused')
              console.warn('kiosk: offline ticket refused', result.id, result.reason)
          })
        } else if (response.status === 422) {
          // A batch the server can never accept must not hold up the ones after it.
          console.warn('kiosk: offline tickets dropped', response.body)
          batch.forEach(function (ticket) {
            answered[ticket.id] = true
          })
        } else {
          return
        }
        state.outbox = state.outbox.filter(function (ticket) {
          return !answered[ticket.id]
        })
        saveState()
        return refresh()
      },
      function () {
        syncing = false
        setOffline(true)
      }
    )
  }

  // --- helpers
  function today() {
    var parts = {}
    new Intl.DateTimeFormat('en-US', {
      timeZone: config.timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .formatToParts(new Date())
      .forEach(function (part) {
        parts[part.type] = part.value
      })
    return parts.year + '-' + parts.month + '-' + parts.day
  }
  function when(iso) {
    return new Intl.DateTimeFormat(DATE_LOCALES[locale], {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: config.timezone,
    }).format(new Date(iso))
  }
  // The same formats as Service.formatNumber: `{code}{n:3}` with A and 7 -> A007.
  function formatNumber(service, sequence) {
    return service.format
      .split('{code}')
      .join(service.code)
      .replace(/\{n(?::(\d))?\}/g, function (_, width) {
        var digits = String(sequence)
        while (digits.length < Number(width || 0)) digits = '0' + digits
        return digits
      })
  }
  function qrSvg(text) {
    var code = window.qrcode(0, 'M')
    code.addData(text)
    code.make()
    return code.createSvgTag({ cellSize: 4, margin: 0, scalable: true })
  }
  // A random (v4) UUID. crypto.randomUUID needs HTTPS; a kiosk on the LAN may use plain HTTP.
  function uuid() {
    var bytes = crypto.getRandomValues(new Uint8Array(16))
    bytes[6] = (bytes[6] & 0x0f) | 0x40
    bytes[8] = (bytes[8] & 0x3f) | 0x80
    var hex = Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 0x100).toString(16).slice(1)
      })
      .join('')
    return [
      hex.slice(0, 8),
      hex.slice(8, 12),
      hex.slice(12, 16),
      hex.slice(16, 20),
      hex.slice(20),
    ].join('-')
  }
  function tick() {
    $('[data-clock]').textContent = new Intl.DateTimeFormat('id-ID', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: config.timezone,
    }).format(new Date())
  }

  // --- wiring
  document.addEventListener('click', function (event) {
    var target = event.target.closest('button')
    if (!target || target.disabled) return
    if (target.hasAttribute('data-language')) {
      locale = target.getAttribute('data-language')
      translate()
      show('services')
    } else if (target.hasAttribute('data-service')) {
      choice = { serviceId: Number(target.getAttribute('data-service')), digits: '' }
      renderPhone()
      phoneError(null)
      show('phone')
    } else if (target.hasAttribute('data-key')) {
      press(target.getAttribute('data-key'))
    } else if (target.hasAttribute('data-skip')) {
      take(null)
    } else if (target.hasAttribute('data-confirm')) {
      if (choice.digits.length < 9) return phoneError(t('phone_invalid'))
      take(choice.digits)
    } else if (target.hasAttribute('data-booking')) {
      openBooking()
    } else if (target.hasAttribute('data-code-key')) {
      pressCode(target.getAttribute('data-code-key'))
    } else if (target.hasAttribute('data-go')) {
      if (target.getAttribute('data-go') === 'start') restart()
      else show(target.getAttribute('data-go'))
    }
  })
  // Any touch (or key: a scanner types) keeps a half-finished visit alive.
  function keepAlive() {
    if (screen === 'services' || screen === 'phone' || screen === 'booking') {
      clearTimeout(timers.idle)
      timers.idle = setTimeout(restart, IDLE_AFTER_MS)
    }
  }
  document.addEventListener('pointerdown', keepAlive)
  document.addEventListener('keydown', function (event) {
    keepAlive()
    // A booking QR code scanned on the start screen: the scanner starts typing, go to check-in.
    if (
      screen === 'start' &&
      event.key.length === 1 &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey
    ) {
      event.preventDefault()
      openBooking(event.key)
    }
  })
  $('[data-booking-form]').addEventListener('submit', function (event) {
    event.preventDefault()
    checkIn()
  })
  window.addEventListener('online', refresh)

  saveState()
  tick()
  setInterval(tick, 10000)
  setInterval(refresh, REFRESH_EVERY_MS)
  setInterval(sync, SYNC_EVERY_MS)
  refresh()
})()
