// The map pages' service worker (served at /maps/offline-worker.js, scope /maps/; why a
// worker: app/maps/offline_views.py).
//
// Map pages and the GeoJSON API (/api/v1/geo/...): network first, so a posko online always
// sees today's figures; each good answer replaces the kept copy; with no network the kept copy
// answers, the page marked so it shows the banner with the time its data was read, a GeoJSON
// answer with the header X-Offline-Copy. An answer that is a login redirect or a refusal
// drops the copy: a logged-out phone stops showing it once it is back online.
// Files (/static/...): their URLs carry a content hash, so the kept copy is always right:
// cache first.
"use strict";

var PAGES = "lumbung-maps-pages-v1";
var FILES = "lumbung-maps-files-v1";
var SCOPE_PATH = new URL(self.registration.scope).pathname;

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("lumbung-maps-") === 0 && name !== PAGES && name !== FILES;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function kind(request) {
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return null; }
  if (url.pathname.indexOf("/static/") === 0) { return "file"; }
  if (url.pathname.indexOf("/api/v1/geo/") === 0) { return "data"; }
  if (url.pathname.indexOf(SCOPE_PATH) === 0 && url.pathname !== self.location.pathname) {
    return "page";
  }
  return null;
}

function marked(copy, what) {
  var headers = new Headers(copy.headers);
  headers.set("X-Offline-Copy", "1");
  // The body is read decoded: its old encoding and length no longer describe it.
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  if (what !== "page") {
    return copy.blob().then(function (body) {
      return new Response(body, { status: copy.status, statusText: copy.statusText, headers: headers });
    });
  }
  return copy.text().then(function (text) {
    return new Response(text.replace("<html", "<html data-offline-copy"),
                        { status: copy.status, statusText: copy.statusText, headers: headers });
  });
}

function networkFirst(request, what) {
  return caches.open(PAGES).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok && response.type === "basic" && !response.redirected) {
        cache.put(request, response.clone());
      } else if (response.type === "opaqueredirect" || response.redirected
                 || [401, 403, 404].indexOf(response.status) >= 0) {
        cache.delete(request);
      }
      return response;
    }, function () {
      return cache.match(request).then(function (copy) {
        return copy ? marked(copy, what) : Response.error();
      });
    });
  });
}

function cacheFirst(request) {
  return caches.open(FILES).then(function (cache) {
    return cache.match(request).then(function (copy) {
      return copy || fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var what = kind(event.request);
  if (what === "file") {
    event.respondWith(cacheFirst(event.request));
  } else if (what) {
    event.respondWith(networkFirst(event.request, what));
  }
});
