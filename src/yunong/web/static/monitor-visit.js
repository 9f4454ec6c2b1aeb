// The grid worker's visit form keeps working without signal: each visit is saved on the
// phone (localStorage, its photo in IndexedDB) with a key made when it was filled in, and
// sent when the connection returns. The server stores a key only once, so a visit sent twice
// (the answer was lost, or two tabs sent it) is still saved once. Once a visit is sent or
// safely queued the form is emptied, so that the same visit is not sent again; a visit the
// server refuses stays in the form to be corrected.
(function () {
  "use strict";
  var QUEUE = "yunong.monitor.visits";
  var PHOTOS = "yunong-visit-photos";
  var LONGEST_SIDE = 1600;
  var MAX_PHOTO_BYTES = 5 * 1024 * 1024;
  var text = JSON.parse(document.getElementById("visit-text").textContent);
  var form = document.getElementById("visit-form");
  var status = document.getElementById("visit-status");
  var list = document.getElementById("visit-queue");
  var submit = form.querySelector("button[type=submit]");
  var select = form.querySelector("select[name=household_code]");
  var verifies = form.querySelector("input[name=verifies]");
  var photoInput = form.querySelector("input[name=photo]");
  var preview = document.getElementById("photo-preview");
  var positionButton = document.getElementById("take-position");
  var positionText = document.getElementById("position-text");
  var tasks = form.dataset.tasks ? form.dataset.tasks.split(",") : [];
  var photo = null;      // the chosen photo, scaled down, as a JPEG blob
  var position = null;   // where the phone was, once the visitor asked for it
  var sending = false;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }
  function show(message, kind) {
    status.textContent = message;
    status.className = "status " + (kind || "");
  }

  // The queue of visits not yet sent -------------------------------------------------------

  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (error) { return []; }
  }
  function save(queue) { localStorage.setItem(QUEUE, JSON.stringify(queue)); }
  function keyOf(item) { return item.visit.client_key; }
  function forget(key) {
    save(load().filter(function (item) { return keyOf(item) !== key; }));
    dropPhoto(key).catch(function () {});
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function render() {
    var queue = load();
    list.replaceChildren();
    queue.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.visit.visited_on + " " + item.label +
        (item.photo ? "（" + text.with_photo + "）" : "") + " · " + (item.error || text.waiting);
      if (item.error) {
        li.className = "failed";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.textContent = text.remove;
        remove.addEventListener("click", function () { forget(keyOf(item)); render(); });
        li.append(" ", remove);
      }
      list.appendChild(li);
    });
    if (!queue.length) {
      var none = document.createElement("li");
      none.textContent = text.none;
      list.appendChild(none);
    }
  }

  // Photos of queued visits, kept in IndexedDB by the visit's key ---------------------------

  function photoStore(mode, work) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(PHOTOS, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore("photos"); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var transaction = db.transaction("photos", mode);
        var request = work(transaction.objectStore("photos"));
        transaction.oncomplete = function () { db.close(); resolve(request.result); };
        transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
      };
    });
  }
  function keepPhoto(key, blob) { return photoStore("readwrite", function (s) { return s.put(blob, key); }); }
  function findPhoto(key) { return photoStore("readonly", function (s) { return s.get(key); }); }
  function dropPhoto(key) { return photoStore("readwrite", function (s) { return s.delete(key); }); }

  // A photo is scaled down on the phone: a few hundred KB to send over a weak signal.
  function scaled(file) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      var url = URL.createObjectURL(file);
      image.onload = function () {
        var ratio = Math.min(1, LONGEST_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(image.naturalWidth * ratio));
        canvas.height = Math.max(1, Math.round(image.naturalHeight * ratio));
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) { if (blob) resolve(blob); else reject(new Error("encode")); }, "image/jpeg", 0.85);
      };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      image.src = url;
    });
  }

  function clearPhoto() {
    photo = null;
    photoInput.value = "";
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.removeAttribute("src");
    preview.hidden = true;
  }

  photoInput.addEventListener("change", function () {
    var file = photoInput.files[0];
    if (!file) { clearPhoto(); return; }
    submit.disabled = true;  // until the photo is ready to go with the visit
    scaled(file).then(function (blob) {
      if (blob.size > MAX_PHOTO_BYTES) throw new Error("size");
      photo = blob;
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
    }).catch(function (error) {
      clearPhoto();
      show(error.message === "size" ? text.photo_too_big : text.photo_unreadable, "offline");
    }).finally(function () { submit.disabled = false; });
  });

  // The position, only when the visitor asks for it (the browser asks for consent too) -----

  function clearPosition() {
    position = null;
    positionText.textContent = "";
  }

  positionButton.addEventListener("click", function () {
    if (!navigator.geolocation) { positionText.textContent = text.position_unsupported; return; }
    positionText.textContent = text.position_wait;
    navigator.geolocation.getCurrentPosition(function (found) {
      position = {
        latitude: Number(found.coords.latitude.toFixed(6)),
        longitude: Number(found.coords.longitude.toFixed(6)),
        position_accuracy_m: Math.round(found.coords.accuracy)
      };
      positionText.textContent = say(text.position_taken, {
        at: position.latitude.toFixed(5) + ", " + position.longitude.toFixed(5),
        m: position.position_accuracy_m
      });
    }, function (error) {
      clearPosition();
      positionText.textContent = say(text.position_failed, { reason: error.message || error.code });
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  // Choosing the household ------------------------------------------------------------------

  function choose(code) {
    select.value = code;
    verifies.checked = tasks.indexOf(code) >= 0;
  }
  select.addEventListener("change", function () { verifies.checked = tasks.indexOf(select.value) >= 0; });
  document.querySelectorAll("#visit-tasks a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      choose(link.parentElement.dataset.household);
      select.scrollIntoView({ block: "center" });
    });
  });
  // Opened from a 待办 item without signal: the cached page does not know the household.
  var asked = new URLSearchParams(location.search).get("household");
  if (asked && !select.value && select.querySelector("option[value='" + CSS.escape(asked) + "']")) choose(asked);

  function read() {
    var data = new FormData(form);
    var visit = {
      client_key: newKey(),
      household_code: data.get("household_code"),
      visited_on: data.get("visited_on"),
      per_capita_income: data.get("per_capita_income") || null,
      risks_found: data.getAll("risks_found"),
      note: data.get("note") || "",
      verifies: data.get("verifies") === "yes"
    };
    form.querySelectorAll("fieldset input[type=checkbox]:not([name=risks_found])").forEach(function (box) {
      visit[box.name] = box.checked;
    });
    if (position) Object.assign(visit, position);
    return { visit: visit, label: select.options[select.selectedIndex].text, photo: false };
  }

  function emptyForm() {
    form.reset();
    select.value = "";  // the page may have opened with a household chosen
    verifies.checked = false;
    clearPhoto();
    clearPosition();
    if (location.search) history.replaceState(null, "", location.pathname);
  }

  // Sending --------------------------------------------------------------------------------

  function post(url, body, json) {
    var headers = { "X-CSRF-Token": form.dataset.csrf };
    if (json) headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", credentials: "same-origin", headers: headers, body: body });
  }

  async function refusal(response) {
    var body = await response.json().catch(function () { return {}; });
    return typeof body.detail === "string" ? body.detail : say(text.refused, { status: response.status });
  }

  // One queued visit, then its photo. Throws when the network fails: the visit stays queued.
  async function send(item) {
    var response = await post("/api/monitor/visits", JSON.stringify(item.visit), true);
    if (response.status === 401) return { expired: true };
    if (!response.ok) return { error: await refusal(response) };
    var answer = await response.json();
    var outcome = { message: answer.message };
    var blob = item.photo ? await findPhoto(keyOf(item)).catch(function () { return null; }) : null;
    if (blob) {
      var body = new FormData();
      body.append("file", blob, "photo.jpg");
      var sent = await post("/api/monitor/visits/" + encodeURIComponent(keyOf(item)) + "/photo", body, false);
      if (sent.status === 401) return { expired: true };
      if (!sent.ok) outcome.message += "。" + text.photo_failed + await refusal(sent);
    }
    return outcome;
  }

  // Sends every queued visit, those queued meanwhile too; the outcome of each, by key.
  async function flush() {
    var outcomes = {};
    if (sending) return outcomes;
    var waiting = load().filter(function (item) { return !item.error; });
    if (!waiting.length) { render(); return outcomes; }
    if (!navigator.onLine) {
      show(say(text.offline_saved, { n: waiting.length }), "offline");
      render();
      return outcomes;
    }
    sending = true;
    var sent = [];
    try {
      for (;;) {
        var item = load().find(function (other) { return !other.error && !(keyOf(other) in outcomes); });
        if (!item) break;
        var outcome;
        show(text.sending, "offline");
        try {
          outcome = await send(item);
        } catch (error) {
          show(text.unstable, "offline");
          break;
        }
        if (outcome.expired) { show(text.expired, "offline"); break; }
        outcomes[keyOf(item)] = outcome;
        if (outcome.error) {
          var stored = load();
          stored.forEach(function (other) { if (keyOf(other) === keyOf(item)) other.error = outcome.error; });
          save(stored);
        } else {
          forget(keyOf(item));
          sent.push(outcome.message);
        }
      }
      if (sent.length === 1) show(sent[0], "sent");
      else if (sent.length) show(say(text.sent_many, { n: sent.length }) + sent[sent.length - 1], "sent");
    } finally {
      sending = false;
      render();
    }
    return outcomes;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    try {
      var item = read();
      if (photo) {
        try { await keepPhoto(keyOf(item), photo); item.photo = true; } catch (error) { show(text.photo_not_kept, "offline"); }
      }
      var queue = load();
      queue.push(item);
      save(queue);
      show(text.saved, "offline");
      var outcome = (await flush())[keyOf(item)];
      if (outcome && outcome.error) {
        forget(keyOf(item));  // the form still holds it, to be corrected and saved again
        show(outcome.error, "failed");
        render();
        return;
      }
      if (outcome && item.visit.verifies) {
        var done = document.querySelector("#visit-tasks li[data-household='" + CSS.escape(item.visit.household_code) + "']");
        if (done) done.remove();
        tasks = tasks.filter(function (code) { return code !== item.visit.household_code; });
      }
      emptyForm();
    } finally {
      submit.disabled = false;
    }
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { show(text.offline, "offline"); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/monitor/visit-sw.js").catch(function () {});
  }
  render();
  flush();
})();
