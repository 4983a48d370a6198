// The inbox thread: a presence heartbeat every 5 s (who else is viewing or typing comes back into
// #presence), and canned replies picked by typing "/" in the reply box.
;(function () {
  const presence = document.getElementById('presence')
  const text = document.querySelector('[data-canned-target]')
  const list = document.querySelector('[data-canned-list]')
  let typedAt = 0

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute('hx-headers') || '{}')['x-csrf-token'] || ''
    } catch {
      return ''
    }
  }

  function beat() {
    if (!presence || document.hidden) return
    fetch(presence.dataset.presenceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify({ typing: Date.now() - typedAt < 6000 }),
      credentials: 'same-origin',
    })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (html !== null) presence.innerHTML = html
      })
      .catch(() => {})
  }

  if (presence) setInterval(beat, 5000)

  if (text) {
    text.addEventListener('input', () => {
      const first = typedAt === 0 || Date.now() - typedAt > 6000
      typedAt = Date.now()
      if (first) beat()
      if (!list) return
      const match = /^\/(\S*)$/.exec(text.value)
      list.hidden = !match
      if (!match) return
      for (const button of list.querySelectorAll('[data-canned-shortcut]'))
        button.parentElement.hidden = !button.dataset.cannedShortcut.startsWith(match[1])
    })
  }
  if (list) {
    list.addEventListener('click', (event) => {
      const button = event.target.closest('[data-canned-body]')
      if (!button) return
      text.value = button.dataset.cannedBody
      list.hidden = true
      text.focus()
    })
  }
})()
