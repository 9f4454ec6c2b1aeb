// A machine's page: "更新位置" reads the phone's position and posts it with its accuracy.
(function () {
  const button = document.getElementById("position-button");
  const form = document.getElementById("position-form");
  const status = document.getElementById("position-status");
  if (!button || !form) return;
  button.addEventListener("click", () => {
    if (!navigator.geolocation) { status.textContent = status.dataset.unsupported; return; }
    status.textContent = status.dataset.locating;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition((at) => {
      document.getElementById("position-lon").value = at.coords.longitude.toFixed(6);
      document.getElementById("position-lat").value = at.coords.latitude.toFixed(6);
      document.getElementById("position-accuracy").value = Math.round(at.coords.accuracy);
      form.submit();
    }, () => {
      status.textContent = status.dataset.failed;
      button.disabled = false;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });
})();
