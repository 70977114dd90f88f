// The record page on a weak connection (with /sw.js). On the week page, the record pages of
// his sessions of the past and next 7 days are kept on the phone. A record saved without a
// connection is kept on the phone (the worker keeps it) and sent by itself when the
// connection returns, or after he logs in again; the page says which. Logging out with
// records not sent asks first. Every text comes from the page (data attributes), so it is
// translated; the pages work without this script.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.indexedDB) return;
  var PAGES = "gendes-record-pages";
  var DB = "gendes-offline", STORE = "records";
  var texts = document.body.dataset;

  function db() {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "url" }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }

  function store(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(STORE, mode), result;
        var request = work(tx.objectStore(STORE));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  var kept = function () { return store("readonly", function (s) { return s.getAll(); }); };
  var forget = function (url) { return store("readwrite", function (s) { s.delete(url); }); };
  var forgetAll = function () { return store("readwrite", function (s) { s.clear(); }); };

  function say(text, kind) {
    var box = document.getElementById("offline-status");
    if (!box || !text) return;
    var line = document.createElement("p");
    line.className = "alert alert-" + kind + " mb-2";
    line.setAttribute("role", "status");
    line.textContent = text;
    box.appendChild(line);
  }

  function raisesAlert(entries) {
    return entries.some(function (entry) {
      return (/-kinds$/.test(entry[0]) && (entry[1] === "physical" || entry[1] === "sexual")) ||
        (/-safety_flag$/.test(entry[0]) && entry[1]);
    });
  }

  // On his record page: what is kept on this phone, put back in the form.
  function showKept(records) {
    var form = document.querySelector("form[data-record]");
    if (!form) return;
    var mine = records.filter(function (r) { return r.url === location.pathname; })[0];
    if (!mine) return;
    say(texts.offlineKept, "warning");
    if (raisesAlert(mine.entries)) say(texts.offlineAlert, "danger");
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    mine.entries.forEach(function (entry) {
      if (entry[0] === "csrfmiddlewaretoken") return;
      form.querySelectorAll('[name="' + entry[0] + '"]').forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") {
          if (field.value === entry[1]) field.checked = true;
        } else if (field.tagName === "SELECT" && field.multiple) {
          Array.prototype.forEach.call(field.options, function (o) { if (o.value === entry[1]) o.selected = true; });
        } else {
          field.value = entry[1];
        }
      });
    });
  }

  // Send each kept record: a fresh form token from its page (his login may be new), the
  // version it was based on, through the same save as the form (conflicts are merged there).
  var sending = false;
  function send() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    return kept().then(function (records) {
      return records.reduce(function (chain, record) {
        return chain.then(function () { return sendOne(record); });
      }, Promise.resolve());
    }).catch(function () {}).then(function () { sending = false; });
  }

  function sendOne(record) {
    return fetch(record.url, { credentials: "same-origin", cache: "no-store" }).then(function (page) {
      if (!page.ok || page.redirected) return;  // logged out: sent after he logs in again
      return page.text().then(function (html) {
        var token = new DOMParser().parseFromString(html, "text/html")
          .querySelector('input[name="csrfmiddlewaretoken"]');
        if (!token) return;
        var body = new URLSearchParams();
        record.entries.forEach(function (e) {
          body.append(e[0], e[0] === "csrfmiddlewaretoken" ? token.value : e[1]);
        });
        return fetch(record.url, { method: "POST", body: body, credentials: "same-origin" })
          .then(function (answer) {
            if (answer.ok && answer.redirected) {
              return forget(record.url).then(function () {
                if (location.pathname === record.url) {
                  sessionStorage.setItem("gendes-sent", "yes");
                  location.replace(answer.url);  // his saved session
                } else {
                  say(texts.offlineSent, "success");
                }
              });
            }
            if (answer.status === 409 || answer.status === 400) {
              // Someone saved first, or a field needs him: the page with his entries kept.
              return forget(record.url).then(function () {
                return answer.text().then(function (page) {
                  document.open(); document.write(page); document.close();
                });
              });
            }
          });
      });
    }).catch(function () {});  // still no connection: the next chance
  }

  // The week: keep his record pages on this phone for a weak connection.
  function keepPages() {
    var list = document.querySelector("[data-offline-list]");
    if (!list || !window.caches) return Promise.resolve();
    return fetch(list.dataset.offlineList, { credentials: "same-origin" })
      .then(function (answer) { return answer.json(); })
      .then(function (data) {
        return caches.open(PAGES).then(function (cache) {
          return Promise.all(data.record_pages.map(function (url) {
            return fetch(url, { credentials: "same-origin" }).then(function (page) {
              if (page.ok && !page.redirected) return cache.put(url, page);
            });
          }));
        });
      })
      .then(function () { document.body.dataset.offlineReady = "yes"; })
      .catch(function () {});
  }

  // Logging out: records not sent are sent, kept or discarded, as he chooses; the kept pages
  // go (the server's logout also tells the browser to clear them).
  function guardLogout() {
    var logout = document.querySelector("form[data-logout]");
    var dialog = document.getElementById("unsent-dialog");
    if (!logout || !dialog || !dialog.showModal) return;
    document.body.dataset.logoutGuard = "on";
    logout.addEventListener("submit", function (event) {
      if (logout.dataset.confirmed) return;
      event.preventDefault();
      kept().then(function (records) {
        if (!records.length) return leave();
        dialog.showModal();
      });
    });
    function leave() {
      var done = window.caches ? caches.delete(PAGES) : Promise.resolve();
      done.then(function () { logout.dataset.confirmed = "yes"; logout.requestSubmit(); });
    }
    dialog.addEventListener("close", function () {
      var choice = dialog.returnValue;
      if (choice === "send") send().then(leave);
      else if (choice === "discard") forgetAll().then(leave);
      else if (choice === "keep") leave();
    });
  }

  if (sessionStorage.getItem("gendes-sent")) {
    sessionStorage.removeItem("gendes-sent");
    say(texts.offlineSent, "success");
  }
  guardLogout();
  navigator.serviceWorker.register("/sw.js").then(function () {
    return navigator.serviceWorker.ready;
  }).then(function () {
    return kept().then(showKept).then(send).then(keepPages);
  }).catch(function () {});
  window.addEventListener("online", send);
})();
