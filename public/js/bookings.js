// Staff booking pages: the session countdowns and the board's full-screen switch.
;(function () {
  'use strict'

  // <article data-ends-at="2026-11-22T02:55:00.000Z" data-server-now="1795000000000" data-overrun-class="booth-overrun">
  // counts down to a session's planned end in the browser, corrected by the server's clock at render
  // time: every second its [data-countdown-clock] shows the time left (m:ss, "+m:ss" once past the
  // end), and past the end its .booth-overrun-flag shows and it takes the class in data-overrun-class.
  // The board's polling swaps in fresh elements only when something changed; they count from then on.
  var started = new WeakMap()

  function clock(seconds) {
    var left = Math.abs(seconds)
    return (
      (seconds < 0 ? '+' : '') + Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0')
    )
  }

  function update(element) {
    if (!started.has(element)) {
      var serverNow = Number(element.getAttribute('data-server-now'))
      started.set(element, {
        ends: Date.parse(element.getAttribute('data-ends-at')),
        skew: serverNow ? serverNow - Date.now() : 0,
      })
    }
    var countdown = started.get(element)
    if (Number.isNaN(countdown.ends)) return
    var seconds = Math.round((countdown.ends - (Date.now() + countdown.skew)) / 1000)
    var overrun = seconds < 0
    var text = element.querySelector('[data-countdown-clock]')
    if (text && text.textContent !== clock(seconds)) text.textContent = clock(seconds)
    var flag = element.querySelector('.booth-overrun-flag')
    if (flag) flag.hidden = !overrun
    var overrunClass = element.getAttribute('data-overrun-class')
    if (overrunClass) element.classList.toggle(overrunClass, overrun)
  }

  function tick() {
    document.querySelectorAll('[data-ends-at]').forEach(update)
  }

  tick()
  setInterval(tick, 1000)
  document.addEventListener('DOMContentLoaded', tick)
  document.addEventListener('htmx:afterSettle', tick)

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-fullscreen]')
    if (!button) return
    var target =
      document.getElementById(button.getAttribute('data-fullscreen')) || document.documentElement
    if (document.fullscreenElement) document.exitFullscreen()
    else if (target.requestFullscreen) target.requestFullscreen()
  })
})()
