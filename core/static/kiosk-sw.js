/* Service worker of the kiosk pages: the page and its assets keep working without network.
 * Pages: network first (so updates arrive), the cached copy when offline.
 * Assets: the cached copy at once, refreshed in the background.
 * Posts are never touched: the page queues them.
 */
"use strict";
/* The cache name comes from the page (/k/sw.js?cache=NAME); a new name is a new version. */
var CACHE = new URL(self.location.href).searchParams.get("cache") || "hailong-kiosk";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("hailong-kiosk") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      return response;
    }
    return response.status >= 500 ? fromCache(request, response) : response;
  }).catch(function () {
    return fromCache(request, Response.error());
  });
}

function fromCache(request, otherwise) {
  return caches.open(CACHE).then(function (cache) {
    /* The page varies by cookie and language; on this one tablet any copy of it will do. */
    return cache.match(request, { ignoreVary: true }).then(function (cached) {
      return cached || cache.match(request, { ignoreVary: true, ignoreSearch: true });
    });
  }).then(function (cached) { return cached || otherwise; });
}

/* The cached copy at once, refreshed from the network for next time. */
function staleWhileRevalidate(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      if (cached) {
        fresh.catch(function () { /* offline: the cached copy is what we have */ });
        return cached;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  } else if (request.destination === "style" || request.destination === "script") {
    event.respondWith(staleWhileRevalidate(request));
  }
});
