// The public scan page's one behaviour, in a file: the page carries no inline script.
// Only a rough position (0.1°, about 10 km) is sent, and only when the person asks to.
document.getElementById("share-place").addEventListener("click", function () {
  var button = this;
  if (!navigator.geolocation) { return; }
  navigator.geolocation.getCurrentPosition(function (position) {
    fetch("/api/trace/public/" + button.dataset.code + "/place", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({
        lat: Math.round(position.coords.latitude * 10) / 10,
        lon: Math.round(position.coords.longitude * 10) / 10
      })
    }).then(function () { document.getElementById("place-result").hidden = false; });
  });
});
