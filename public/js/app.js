// Loket's small shared script: toasts, keyboard shortcuts, confirmations, auto-submitting selects.
// Everything works without it; it only makes pages quicker to use.
;(function () {
  'use strict'

  // A polling element with data-poll-pauses-within="<selector>" skips its poll while the user is busy
  // with the screen: a dialog is open, a <details> form inside the element is open, or the focus is
  // inside that selector (typing a note). This replaces htmx trigger filters, which need eval (the
  // CSP allows none).
  function busyWith(element) {
    if (!element || !element.hasAttribute || !element.hasAttribute('data-poll-pauses-within'))
      return false
    var within = element.getAttribute('data-poll-pauses-within')
    var active = document.activeElement
    return Boolean(
      document.querySelector('dialog[open]') ||
      element.querySelector('details[open]') ||
      (within && active && active.closest && active.closest(within))
    )
  }
  document.addEventListener('htmx:beforeRequest', function (event) {
    var element = event.detail && event.detail.elt
    if (!busyWith(element)) return
    event.preventDefault()
    if (longPoll(element)) pollAgain(element, 1000)
  })

  // Long polls (data-long-poll, hx-trigger "load, loket:poll"): the server holds the request until
  // the screen's data changes, so the next one leaves as soon as an answer without a new element
  // comes (204: nothing changed for a while); after a failure, a little later. A new element swapped
  // in starts its own on load. One removed while its request waits (an action replaced the
  // console) cancels that request: it would hold one of the browser's few connections for nothing.
  function longPoll(element) {
    return Boolean(element && element.hasAttribute && element.hasAttribute('data-long-poll'))
  }
  function pollAgain(element, delay) {
    setTimeout(function () {
      if (document.body.contains(element)) window.htmx.trigger(element, 'loket:poll')
    }, delay)
  }
  function retryDelay(xhr) {
    var seconds = xhr && Number(xhr.getResponseHeader('Retry-After'))
    return seconds > 0 ? seconds * 1000 : 2000 + Math.random() * 1000
  }
  document.addEventListener('htmx:afterRequest', function (event) {
    var element = event.detail && event.detail.elt
    if (!longPoll(element) || !document.body.contains(element)) return
    var status = event.detail.xhr ? event.detail.xhr.status : 0
    pollAgain(
      element,
      status === 204 ? 0 : status >= 200 && status < 400 ? 1000 : retryDelay(event.detail.xhr)
    )
  })
  // An error answer (server restarting, rate limit) keeps the screen as it is instead of replacing it.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var xhr = event.detail && event.detail.xhr
    if (longPoll(event.detail.elt) && xhr && xhr.status >= 400) event.detail.shouldSwap = false
  })
  document.addEventListener('htmx:beforeOnLoad', function (event) {
    if (longPoll(event.detail && event.detail.elt)) event.detail.elt.loketAnswered = true
  })
  document.addEventListener('htmx:beforeCleanupElement', function (event) {
    var element = event.target
    if (longPoll(element) && !element.loketAnswered)
      window.htmx.trigger(document.body, 'htmx:abort', { elt: element })
  })
  // A poll that left before the user opened a form must not replace it when it answers.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var config = event.detail && event.detail.requestConfig
    if (config && busyWith(config.elt)) event.detail.shouldSwap = false
  })

  // Toasts disappear after a while; a click closes them at once.
  function arm(toast) {
    if (toast.dataset.armed) return
    toast.dataset.armed = '1'
    setTimeout(function () {
      toast.remove()
    }, 6000)
    toast.addEventListener('click', function () {
      toast.remove()
    })
  }
  function armAll() {
    document.querySelectorAll('[data-toast]').forEach(arm)
  }
  document.addEventListener('DOMContentLoaded', armAll)
  document.addEventListener('htmx:afterSettle', armAll)

  // A toast sent by the server in an HX-Trigger header: { "toast": { "message": "..." } }.
  document.addEventListener('toast', function (event) {
    var box = document.getElementById('toasts')
    if (!box || !event.detail || !event.detail.message) return
    var toast = document.createElement('div')
    toast.className = 'toast toast-' + (event.detail.kind || 'info')
    toast.setAttribute('role', 'status')
    toast.setAttribute('data-toast', '')
    toast.textContent = event.detail.message
    box.appendChild(toast)
    arm(toast)
  })

  // Forms and buttons with data-confirm ask first.
  document.addEventListener(
    'submit',
    function (event) {
      var form = event.target
      var message = form.getAttribute('data-confirm')
      if (message && !window.confirm(message)) event.preventDefault()
    },
    true
  )

  // <select data-autosubmit> submits its form when changed.
  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('select[data-autosubmit]'))
      event.target.form.requestSubmit()
  })

  // Keyboard shortcuts: a button with data-hotkey="n" is clicked by pressing N,
  // unless the user is typing in a field or a dialog is open.
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return
    var target = event.target
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))
      return
    if (document.querySelector('dialog[open]')) return
    var button = document.querySelector('[data-hotkey="' + event.key.toLowerCase() + '"]')
    if (button && !button.disabled) {
      event.preventDefault()
      button.click()
    }
  })

  // <button data-open-dialog="id"> opens <dialog id="id">; [data-close-dialog] closes its dialog.
  document.addEventListener('click', function (event) {
    var opener = event.target.closest && event.target.closest('[data-open-dialog]')
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute('data-open-dialog'))
      if (dialog) {
        dialog.showModal()
        var field = dialog.querySelector('input, textarea, select')
        if (field) field.focus()
      }
    }
    var closer = event.target.closest && event.target.closest('[data-close-dialog]')
    if (closer) closer.closest('dialog').close()
    if (event.target.closest && event.target.closest('[data-print]')) window.print()
  })

  // The visitor's phone buzzes when their number is called.
  document.addEventListener('htmx:afterSwap', function (event) {
    var live = document.getElementById('ticket-live')
    if (
      live &&
      live.dataset.status === 'called' &&
      event.detail.target === live &&
      navigator.vibrate
    ) {
      navigator.vibrate([300, 150, 300])
    }
  })
})()

// Menus (<details data-menu>) close when the user clicks elsewhere or presses Escape.
document.addEventListener('click', function (event) {
  document.querySelectorAll('details[data-menu][open]').forEach(function (menu) {
    if (!menu.contains(event.target)) menu.removeAttribute('open')
  })
})
document.addEventListener('keydown', function (event) {
  if (event.key === 'Escape')
    document.querySelectorAll('details[data-menu][open]').forEach(function (menu) {
      menu.removeAttribute('open')
    })
})

// Visitor pages install as an app (PWA) and survive a flaky connection.
if ('serviceWorker' in navigator && document.querySelector('link[rel="manifest"]')) {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js').catch(function () {})
  })
}
