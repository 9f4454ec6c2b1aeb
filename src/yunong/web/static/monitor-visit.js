// The grid worker's visit form keeps working without signal: each visit is saved on the
// phone (localStorage) with a key made when it was filled in, and sent when the connection
// returns. The server stores a key only once, so a visit sent twice (the answer was lost,
// or two tabs sent it) is still saved once.
(function () {
  "use strict";
  var QUEUE = "yunong.monitor.visits";
  var form = document.getElementById("visit-form");
  var status = document.getElementById("visit-status");
  var list = document.getElementById("visit-queue");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (error) { return []; }
  }
  function save(queue) { localStorage.setItem(QUEUE, JSON.stringify(queue)); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function show(text, kind) {
    status.textContent = text;
    status.className = "status " + (kind || "");
  }

  function render() {
    var queue = load();
    list.innerHTML = "";
    queue.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.visit.visited_on + " " + item.label + (item.error ? "：" + item.error : "");
      if (item.error) li.className = "failed";
      list.appendChild(li);
    });
    if (!queue.length) list.innerHTML = "<li>无</li>";
  }

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
    var select = form.querySelector("select[name=household_code]");
    return { visit: visit, label: select.options[select.selectedIndex].text };
  }

  async function flush() {
    if (sending) return;
    var queue = load().filter(function (item) { return !item.error; });
    if (!queue.length) { render(); return; }
    if (!navigator.onLine) {
      show("已保存在手机上，联网后自动发送（待发送 " + queue.length + " 条）", "offline");
      render();
      return;
    }
    sending = true;
    var sent = 0;
    try {
      for (var index = 0; index < queue.length; index++) {
        var item = queue[index];
        var response;
        try {
          response = await fetch("/api/monitor/visits", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf },
            body: JSON.stringify(item.visit)
          });
        } catch (error) {
          show("网络不稳定，已保存在手机上，稍后自动重试", "offline");
          break;
        }
        if (response.status === 401) {
          show("登录已过期：请重新登录，待发送的走访仍保存在手机上", "offline");
          break;
        }
        var stored = load();
        var position = stored.findIndex(function (other) { return other.visit.client_key === item.visit.client_key; });
        if (response.ok) {
          if (position >= 0) stored.splice(position, 1);
          sent++;
        } else if (position >= 0) {
          var body = await response.json().catch(function () { return {}; });
          stored[position].error = typeof body.detail === "string" ? body.detail : "提交被拒绝（" + response.status + "）";
        }
        save(stored);
      }
      if (sent) show("已发送 " + sent + " 条走访记录", "sent");
    } finally {
      sending = false;
      render();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var queue = load();
    queue.push(read());
    save(queue);
    form.reset();
    show("已保存在手机上", "offline");
    flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { show("当前无网络：走访会先保存在手机上", "offline"); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/monitor/visit-sw.js").catch(function () {});
  }
  render();
  flush();
})();
