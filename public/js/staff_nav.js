// The staff navigation on a phone: the links fold behind a "Menu" button (a disclosure button:
// aria-expanded, Enter/Space to open, Escape to close). Without this script every link shows.
;(function () {
  'use strict'

  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.querySelector('[data-nav-toggle]')
    var nav = toggle && document.getElementById(toggle.getAttribute('aria-controls'))
    if (!nav) return

    function isOpen() {
      return toggle.getAttribute('aria-expanded') === 'true'
    }
    function setOpen(open) {
      toggle.setAttribute('aria-expanded', String(open))
      nav.classList.toggle('is-open', open)
    }

    nav.setAttribute('data-collapsible', '')
    toggle.hidden = false
    toggle.addEventListener('click', function () {
      setOpen(!isOpen())
    })
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape' || !isOpen()) return
      setOpen(false)
      toggle.focus()
    })
    document.addEventListener('click', function (event) {
      if (isOpen() && !nav.contains(event.target) && !toggle.contains(event.target)) setOpen(false)
    })
  })
})()
