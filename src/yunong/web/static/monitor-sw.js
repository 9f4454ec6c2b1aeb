// Keeps the visit form and its files so that the page opens without signal. The page is
// fetched from the network when there is one (fresh CSRF token, fresh household list) and
// from this cache when there is not; visits themselves are never cached here.
var CACHE = "yunong-visit-v2";
var FILES = ["/monitor/visit", "/static/app.css", "/static/monitor.css", "/static/monitor-visit.js",
             "/static/vendor/htmx.min.js", "/static/favicon.svg"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(FILES); }));
});

self.addEventListener("activate", function (event) {
  // Earlier versions' copies of the form and its script go once this version takes over.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("yunong-visit-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }));
});

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname !== "/monitor/visit" && FILES.indexOf(url.pathname) < 0) return;
  event.respondWith(
    fetch(event.request).then(function (response) {
      if (response.ok && url.pathname === "/monitor/visit" && !url.search) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put("/monitor/visit", copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname === "/monitor/visit" ? "/monitor/visit" : event.request);
    })
  );
});
