// Patrol recorded on a phone: the positions the phone reports while the page is open go
// into the form as JSON [[longitude, latitude], …]; the server measures them.
(function () {
  const field = document.getElementById("patrol-track");
  const count = document.getElementById("patrol-count");
  if (!field || !navigator.geolocation) return;
  const points = [];
  navigator.geolocation.watchPosition((at) => {
    points.push([Number(at.coords.longitude.toFixed(6)), Number(at.coords.latitude.toFixed(6))]);
    field.value = JSON.stringify(points);
    count.textContent = String(points.length);
  }, () => {}, { enableHighAccuracy: true, maximumAge: 5000 });
})();
