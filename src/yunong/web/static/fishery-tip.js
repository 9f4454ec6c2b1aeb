// The public tip form: the phone's position, when the person allows it, goes with the tip.
(function () {
  const lon = document.getElementById("tip-lon");
  const lat = document.getElementById("tip-lat");
  if (!lon || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition((at) => {
    lon.value = at.coords.longitude.toFixed(6);
    lat.value = at.coords.latitude.toFixed(6);
  }, () => {}, { timeout: 8000, maximumAge: 60000 });
})();
