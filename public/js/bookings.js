// Staff booking pages: the session countdown (Alpine) and the board's full-screen switch.
//
// <span x-data="countdown" data-ends-at="2026-11-22T02:55:00.000Z" data-server-now="1795000000000">
// counts down to the session's planned end in the browser, corrected by the server's clock at
// render time, and flags an overrun once it is past. The board's polling only redraws when
// something changed. Alpine is its CSP build (no eval): components are registered here and read
// their values from data attributes.
document.addEventListener('alpine:init', function () {
  window.Alpine.data('countdown', function () {
    var ends = 0
    var skew = 0
    return {
      left: 0,
      overrun: false,
      timer: null,
      get overrunClass() {
        return this.overrun ? 'booth-overrun' : ''
      },
      init: function () {
        var self = this
        ends = Date.parse(this.$el.dataset.endsAt)
        var serverNow = Number(this.$el.dataset.serverNow)
        skew = serverNow ? serverNow - Date.now() : 0
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
