// The self-report page's village suggestions, in a file: the page carries no inline script.
// Offer villages as the reporter types, from the public village lookup.
(function () {
  var input = document.querySelector("input[name=village]");
  var list = document.getElementById("village-list");
  var last = "";
  input.addEventListener("input", function () {
    var text = input.value.trim();
    if (text.length < 2 || text === last) return;
    last = text;
    fetch("/api/monitor/villages?q=" + encodeURIComponent(text.slice(-20)))
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (villages) {
        list.innerHTML = "";
        villages.forEach(function (village) {
          var option = document.createElement("option");
          option.value = village.name;
          list.appendChild(option);
        });
      })
      .catch(function () {});
  });
})();
