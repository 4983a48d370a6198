// The console's dialogs (cancel with a reason, transfer) and its timers.
// One dialog of each kind serves every ticket: the button that opens it names the ticket.
;(function () {
  'use strict'

  function openDialog(id, url, number) {
    var dialog = document.getElementById(id)
    dialog.querySelector('form').setAttribute('action', url)
    var label = dialog.querySelector('[data-cancel-number], [data-transfer-number]')
    if (label) label.textContent = number
    dialog.showModal()
    var field = dialog.querySelector('input[type="text"], select')
    if (field) field.focus()
  }

  document.addEventListener('click', function (event) {
    var cancel = event.target.closest && event.target.closest('[data-cancel-url]')
    if (cancel)
      return openDialog(
        'cancel-dialog',
        cancel.getAttribute('data-cancel-url'),
        cancel.getAttribute('data-number')
      )
    var transfer = event.target.closest && event.target.closest('[data-transfer-url]')
    if (transfer)
      openDialog(
        'transfer-dialog',
        transfer.getAttribute('data-transfer-url'),
        transfer.getAttribute('data-number')
      )
  })

  // [data-since="ISO time"]: how long ago, as m:ss (or whole minutes with data-format="minutes").
  function tick() {
    var now = Date.now()
    document.querySelectorAll('[data-since]').forEach(function (element) {
      var seconds = Math.max(
        0,
        Math.round((now - Date.parse(element.getAttribute('data-since'))) / 1000)
      )
      if (element.getAttribute('data-format') === 'minutes') {
        element.textContent =
          Math.floor(seconds / 60) + ' ' + (element.getAttribute('data-unit') || 'min')
      } else {
        var minutes = Math.floor(seconds / 60)
        element.textContent = minutes + ':' + String(seconds % 60).padStart(2, '0')
      }
    })
  }
  tick()
  setInterval(tick, 1000)
  document.addEventListener('htmx:afterSettle', tick)
})()
