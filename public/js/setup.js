// The first-run handover page: [data-copy] buttons put their text (the TV's link) on the clipboard and
// say so in the [data-copy-status] line; where the clipboard is refused, the link is selected instead.
function say(button, text) {
  const status = button.closest('section')?.querySelector('[data-copy-status]')
  if (status) status.textContent = text
}

function selectLink(button) {
  const link = button.closest('section')?.querySelector('.setup-url a')
  if (!link) return
  const range = document.createRange()
  range.selectNodeContents(link)
  const selection = window.getSelection()
  selection.removeAllRanges()
  selection.addRange(range)
}

document.addEventListener('click', async (event) => {
  const button = event.target.closest && event.target.closest('[data-copy]')
  if (!button) return
  const text = button.getAttribute('data-copy')
  try {
    await navigator.clipboard.writeText(text)
    say(button, button.getAttribute('data-copied') || '')
  } catch {
    selectLink(button)
  }
})
