// A button with data-copy="#field" copies that field's text (a device's secret link) and says so
// for a moment with its data-copied label. Without the clipboard API (a plain-http address) the
// field's text is selected and copied the old way, so that the admin can paste it anyway.
;(function () {
  'use strict'

  function fallbackCopy(field) {
    field.focus()
    field.select()
    try {
      return document.execCommand('copy')
    } catch {
      return false
    }
  }

  function confirm(button) {
    var label = button.getAttribute('data-label') || button.textContent
    button.setAttribute('data-label', label)
    button.textContent = button.getAttribute('data-copied') || label
    clearTimeout(button._copyTimer)
    button._copyTimer = setTimeout(function () {
      button.textContent = label
    }, 2000)
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-copy]')
    if (!button) return
    var field = document.querySelector(button.getAttribute('data-copy'))
    if (!field) return
    var text = 'value' in field ? field.value : field.textContent
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          confirm(button)
        },
        function () {
          if (fallbackCopy(field)) confirm(button)
        }
      )
    } else if (fallbackCopy(field)) {
      confirm(button)
    }
  })
})()
