// The TV display: a clock, an offline banner, and the spoken announcement of each new call.
// The board itself is refreshed by htmx (partials/display/board.edge).
;(function () {
  'use strict'

  var announced = 0 // the highest call-event id already announced
  var queue = []
  var speaking = false
  var audio = null
  var soundOn = false

  function board() {
    return document.getElementById('board')
  }

  function announcementsOf(element) {
    try {
      return JSON.parse(element.getAttribute('data-announcements') || '[]')
    } catch (e) {
      return []
    }
  }

  // A two-tone chime made by the browser: no sound file to load.
  function chime() {
    return new Promise(function (resolve) {
      if (!audio) return resolve()
      var now = audio.currentTime
      ;[
        [880, 0],
        [660, 0.35],
      ].forEach(function (tone) {
        var osc = audio.createOscillator()
        var gain = audio.createGain()
        osc.type = 'sine'
        osc.frequency.value = tone[0]
        gain.gain.setValueAtTime(0.0001, now + tone[1])
        gain.gain.exponentialRampToValueAtTime(0.4, now + tone[1] + 0.03)
        gain.gain.exponentialRampToValueAtTime(0.0001, now + tone[1] + 0.6)
        osc.connect(gain).connect(audio.destination)
        osc.start(now + tone[1])
        osc.stop(now + tone[1] + 0.65)
      })
      setTimeout(resolve, 1000)
    })
  }

  function say(text) {
    return new Promise(function (resolve) {
      if (!('speechSynthesis' in window)) return resolve()
      var button = document.querySelector('[data-enable-sound]')
      var utterance = new SpeechSynthesisUtterance(text)
      utterance.lang = (button && button.getAttribute('data-speech-lang')) || 'id-ID'
      utterance.rate = 0.9
      utterance.onend = resolve
      utterance.onerror = resolve
      window.speechSynthesis.speak(utterance)
      setTimeout(resolve, 12000) // never let one stuck utterance block the queue
    })
  }

  function next() {
    if (speaking || queue.length === 0) return
    speaking = true
    var item = queue.shift()
    var announcer = document.querySelector('[data-announcer]')
    if (announcer) announcer.textContent = item.text
    var done = function () {
      speaking = false
      next()
    }
    if (!soundOn) return done()
    chime()
      .then(function () {
        return say(item.text)
      })
      .then(done, done)
  }

  function collect(element, initial) {
    announcementsOf(element).forEach(function (item) {
      if (item.id > announced) {
        if (!initial) queue.push(item)
        announced = item.id
      }
    })
    next()
  }

  function tick() {
    var clock = document.querySelector('[data-clock]')
    if (!clock) return
    try {
      clock.textContent = new Intl.DateTimeFormat('id-ID', {
        hour: '2-digit',
        minute: '2-digit',
        timeZone: clock.getAttribute('data-timezone') || undefined,
      }).format(new Date())
    } catch (e) {
      clock.textContent = new Date().toTimeString().slice(0, 5)
    }
  }

  function setOffline(offline) {
    var banner = document.querySelector('[data-offline]')
    if (banner) banner.hidden = !offline
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (board()) collect(board(), true) // what is on screen at load has been announced already
    tick()
    setInterval(tick, 1000)

    var button = document.querySelector('[data-enable-sound]')
    if (button) {
      button.addEventListener('click', function () {
        var Context = window.AudioContext || window.webkitAudioContext
        if (Context) {
          audio = new Context()
          audio.resume()
        }
        soundOn = true
        button.hidden = true
        if ('speechSynthesis' in window)
          window.speechSynthesis.speak(new SpeechSynthesisUtterance(''))
      })
    }
  })

  document.addEventListener('htmx:afterSwap', function () {
    if (!board()) return
    setOffline(false)
    collect(board(), false)
  })
  document.addEventListener('htmx:afterRequest', function (event) {
    if (event.detail.successful) setOffline(false)
  })
  // A lost network keeps the last board on screen; htmx keeps polling and it comes back by itself.
  document.addEventListener('htmx:sendError', function () {
    setOffline(true)
  })
  document.addEventListener('htmx:responseError', function () {
    setOffline(true)
  })
})()
