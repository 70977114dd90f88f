// The service worker (served at /sw.js): keeps the facilitator's record pages for a weak
// connection, and keeps a record he saves while the connection fails on the phone until it
// can be sent (static/js/offline.js sends it). Only record pages are cached, on purpose: the
// pages' "no-store" is for the browser's ordinary cache. Logging out wipes the cache.
"use strict";
var PAGES = "gendes-record-pages";
var DB = "gendes-offline", STORE = "records";
var RECORD = /^\/sessions\/\d+\/record\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function db() {
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open(DB, 1);
    open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "url" }); };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
}

function keep(record) {
  return db().then(function (d) {
    return new Promise(function (resolve, reject) {
      var tx = d.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put(record);
      tx.oncomplete = resolve;
      tx.onerror = function () { reject(tx.error); };
    });
  });
}

function cached(request) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(request, { ignoreSearch: true });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || !RECORD.test(url.pathname)) return;
  if (request.method === "GET") {
    // The network first (the latest version); the kept copy when it fails.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return cached(url.pathname).then(function (page) {
        return page || Response.error();
      });
    }));
  } else if (request.method === "POST" && request.mode === "navigate") {
    var saved = request.clone();
    event.respondWith(fetch(request).catch(function () {
      // No connection: the record stays on this phone until it is sent.
      return saved.formData().then(function (form) {
        var entries = [];
        form.forEach(function (value, name) { entries.push([name, value]); });
        return keep({ url: url.pathname, entries: entries, savedAt: Date.now() });
      }).then(function () {
        return Response.redirect(url.pathname + "?kept=1", 303);
      });
    }));
  }
});
