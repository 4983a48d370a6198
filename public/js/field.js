// Attendance: when the technician ticks "share my location", the form waits for the browser's
// position (a few seconds at most) and sends it with the check-in or out. Without the tick, or
// when the browser says no, the form goes without a location: nothing is stored then.
for (const form of document.querySelectorAll('form[data-locate]')) {
  form.addEventListener('submit', (event) => {
    const share = form.querySelector('input[name="share_location"]')
    if (!share?.checked || !navigator.geolocation || form.dataset.located) return
    event.preventDefault()
    const send = () => {
      form.dataset.located = '1'
      form.requestSubmit()
    }
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.querySelector('[data-latitude]').value = position.coords.latitude.toFixed(6)
        form.querySelector('[data-longitude]').value = position.coords.longitude.toFixed(6)
        send()
      },
      send,
      { timeout: 8000, maximumAge: 60000 }
    )
  })
}
