// Staff booking pages: the session countdown (Alpine) and the board's full-screen switch.
//
// <span x-data="countdown('2026-11-22T02:55:00.000Z', 1795000000000)">…</span> counts down to the
// session's planned end in the browser, corrected by the server's clock at render time, and
// flags an overrun once it is past. The board's polling only redraws when something changed.
document.addEventListener('alpine:init', function () {
  window.Alpine.data('countdown', function (endsAt, serverNow) {
    var ends = Date.parse(endsAt)
    var skew = serverNow ? serverNow - Date.now() : 0
    return {
      left: 0,
      overrun: false,
      timer: null,
      init: function () {
        var self = this
        this.tick()
        this.timer = setInterval(function () { self.tick() }, 1000)
      },
      destroy: function () { clearInterval(this.timer) },
      tick: function () {
        var seconds = Math.round((ends - (Date.now() + skew)) / 1000)
        this.overrun = seconds < 0
        this.left = Math.abs(seconds)
      },
      get clock() {
        var m = Math.floor(this.left / 60)
        var s = String(this.left % 60).padStart(2, '0')
        return (this.overrun ? '+' : '') + m + ':' + s
      },
    }
  })
})

document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('[data-fullscreen]')
  if (!button) return
  var target = document.getElementById(button.getAttribute('data-fullscreen')) || document.documentElement
  if (document.fullscreenElement) document.exitFullscreen()
  else if (target.requestFullscreen) target.requestFullscreen()
})
