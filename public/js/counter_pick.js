// Picking a counter ticks the services it is set up to serve; the operator may change them.
;(function () {
  'use strict'
  var form = document.getElementById('pick-counter')
  if (!form) return
  form.addEventListener('change', function (event) {
    if (event.target.name !== 'counter_id') return
    var ids = (event.target.getAttribute('data-services') || '').split(',').filter(Boolean)
    form.querySelectorAll('[data-service-check]').forEach(function (box) {
      box.checked = ids.indexOf(box.value) !== -1
    })
  })
})()
