/* Kiosk mode: one tap on a face, an optional comment, thanks, back to the start. A face on the
 * "không hài lòng" level (below data-reason-below) asks the reason first: Send waits for one
 * ticked reason and there is no Skip (a citizen who walks away is stored without reasons).
 * Every answer goes first into IndexedDB with its own idempotency key and the time it was
 * given; the queue is posted whenever the network is there, and an answer leaves the queue
 * only when the server has said what became of it, oldest first; the last chunk says "final"
 * (nothing else queued), and an empty final post every minute tells the server the tablet is
 * in contact, so no answer can later be dated before that. The service worker keeps the page.
 */
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  if (!root) { return; }
  var cfg = root.dataset;
  var DB_NAME = "hailong-kiosk";
  var STORE = "answers";
  var CHUNK = 50;
  var RETRY_MS = 15000;
  var HEARTBEAT_MS = 60000;
  var lastContact = 0;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var queue = {
    add: function (answer) { return withStore("readwrite", function (s) { return s.put(answer); }); },
    all: function () { return withStore("readonly", function (s) { return s.getAll(); }); },
    remove: function (keys) {
      return withStore("readwrite", function (s) { keys.forEach(function (k) { s.delete(k); }); });
    }
  };

  var pending = document.getElementById("k-pending");
  function showPending() {
    return queue.all().then(function (items) {
      pending.dataset.pending = String(items.length);
      pending.textContent = items.length ? pending.dataset.text + " " + items.length : "";
    });
  }

  var sending = null;
  var again = false;
  var refused = document.getElementById("k-refused");
  function showRefused(results) {
    var messages = results.filter(function (r) { return r.status === "rejected" && r.message; });
    if (messages.length) { refused.textContent = messages[messages.length - 1].message; }
  }

  var reference = document.getElementById("k-reference");
  var referenceCode = document.getElementById("k-reference-code");
  var thanked = null;
  function showReference(results) {
    results.forEach(function (r) {
      if (reference && r.reference && r.key === thanked && !screens.thanks.hidden) {
        referenceCode.textContent = r.reference;
        reference.hidden = false;
        restartTimer(Number(cfg.referenceSeconds), function () { show("ask"); });
      }
    });
  }

  function postChunk(chunk, final) {
    return fetch(cfg.submitUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sent_at: new Date().toISOString(), answers: chunk, final: final })
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      lastContact = Date.now();
      showRefused(body.results);
      showReference(body.results);
      return queue.remove(body.results.map(function (r) { return r.key; }));
    });
  }

  function flush() {
    if (sending) { again = true; return sending; }
    again = false;
    sending = queue.all().then(function (items) {
      items.sort(function (a, b) { return a.given_at < b.given_at ? -1 : a.given_at > b.given_at ? 1 : 0; });
      var chain = Promise.resolve();
      if (!items.length && Date.now() - lastContact >= HEARTBEAT_MS) {
        return postChunk([], true);
      }
      for (var i = 0; i < items.length; i += CHUNK) {
        chain = chain.then(postChunk.bind(null, items.slice(i, i + CHUNK), i + CHUNK >= items.length));
      }
      return chain;
    }).catch(function () { /* offline or server away: the answers stay queued */ })
      .then(function () {
        sending = null;
        return again ? flush() : showPending();
      });
    return sending;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  var screens = {
    ask: document.getElementById("k-ask"),
    followup: document.getElementById("k-followup"),
    thanks: document.getElementById("k-thanks")
  };
  var comment = document.getElementById("k-comment");
  var followupTitle = document.getElementById("k-followup-title");
  var reasonBox = document.getElementById("k-reasons");
  var reasonInputs = Array.prototype.slice.call(reasonBox.querySelectorAll("input"));
  var sendButton = document.getElementById("k-send");
  var skipButton = document.getElementById("k-skip");
  var skipHint = document.getElementById("k-skip-hint");

  function tickedReasons() {
    return reasonInputs.filter(function (input) { return input.checked; })
      .map(function (input) { return input.value; });
  }

  function askReason(ask) {
    reasonBox.hidden = !ask;
    skipButton.hidden = ask;
    skipHint.hidden = ask;
    reasonInputs.forEach(function (input) { input.checked = false; });
    sendButton.disabled = ask;
  }
  var current = null;
  var timer = null;

  function show(name) {
    Object.keys(screens).forEach(function (key) { screens[key].hidden = key !== name; });
    if (name !== "thanks" && reference) { thanked = null; reference.hidden = true; }
    var heading = screens[name].querySelector("h1");
    if (heading && name !== "ask") { heading.focus(); }
  }

  function restartTimer(seconds, action) {
    clearTimeout(timer);
    timer = setTimeout(action, seconds * 1000);
  }

  function choose(rating) {
    current = {
      key: newKey(),
      given_at: new Date().toISOString(),
      rating: rating,
      survey: Number(cfg.survey),
      locale: cfg.locale,
      comment: null,
      reasons: []
    };
    comment.value = "";
    askReason(needsReason(rating));
    followupTitle.textContent = rating <= 2 ? followupTitle.dataset.low
      : rating === 3 ? followupTitle.dataset.mid : followupTitle.dataset.high;
    show("followup");
    restartTimer(Number(cfg.followupSeconds), finish);
  }

  function needsReason(rating) { return rating < Number(cfg.reasonBelow); }

  function finish(withComment) {
    if (!current) { return; }
    var answer = current;
    current = null;
    clearTimeout(timer);
    var text = comment.value.trim();
    answer.comment = withComment !== false && text ? text : null;
    answer.reasons = needsReason(answer.rating) ? tickedReasons() : [];
    askReason(false);
    comment.value = "";
    show("thanks");
    thanked = answer.key;
    queue.add(answer).then(showPending).then(flush);
    restartTimer(Number(cfg.resetSeconds), function () { show("ask"); });
  }

  Array.prototype.forEach.call(root.querySelectorAll(".k-face"), function (button) {
    button.addEventListener("click", function () { choose(Number(button.dataset.rating)); });
  });
  sendButton.addEventListener("click", function () { finish(true); });
  skipButton.addEventListener("click", function () { finish(false); });
  reasonInputs.forEach(function (input) {
    input.addEventListener("change", function () {
      sendButton.disabled = !tickedReasons().length;
      restartTimer(Number(cfg.followupSeconds), finish);
    });
  });
  var done = document.getElementById("k-done");
  if (done) {
    done.addEventListener("click", function () { clearTimeout(timer); show("ask"); });
  }
  comment.addEventListener("input", function () {
    restartTimer(Number(cfg.followupSeconds), finish);
  });

  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  flush();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.swScope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      return caches.open(cfg.cacheName);
    }).then(function (cache) {
      return cache.addAll([window.location.pathname].concat(cfg.assets.split(" ")));
    }).then(function () {
      root.dataset.offlineReady = "true";
    }).catch(function () { /* offline caching unavailable; the kiosk still works online */ });
  }
})();
