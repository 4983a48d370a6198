// Loket's service worker: the visitor pages install as an app and keep working on a flaky
// connection. Static files come from the cache; pages come from the network, falling back to the
// last copy seen (a visitor's ticket page stays readable in a dead spot); live polls never cache.
const CACHE = 'loket-v1'
const SHELL = ['/css/app.css', '/js/app.js', '/favicon.svg', '/icons/icon-192.png']

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting())
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))
      )
      .then(() => self.clients.claim())
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== self.location.origin) return
  if (url.pathname.endsWith('/live')) return

  const isStatic = /\.(css|js|svg|png|woff2?)$/.test(url.pathname)
  if (isStatic) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok)
              caches.open(CACHE).then((cache) => cache.put(request, response.clone()))
            return response
          })
      )
    )
    return
  }

  if (
    request.mode === 'navigate' &&
    (url.pathname.startsWith('/t/') || url.pathname.startsWith('/b/'))
  ) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) caches.open(CACHE).then((cache) => cache.put(request, response.clone()))
          return response
        })
        .catch(() => caches.match(request).then((cached) => cached || Response.error()))
    )
  }
})
