// What every signed-in page does, kept in a file: the pages carry no inline script.

// On a phone the menu starts folded so the page itself comes first.
var menu = document.getElementById("menu");
if (menu && window.matchMedia("(max-width: 700px)").matches) {
  menu.removeAttribute("open");
}

// A list marked data-submit sends its form as soon as another entry is chosen.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-submit]") && target.form) {
    target.form.submit();
  }
});

// A link marked data-long-job downloads a file the server may take a minute to make (the
// assessment report): while it is made the link shows that it is busy and a second click
// starts nothing; the file is saved when it arrives. When the server answers with an
// error, the link is followed so that its page says why.
function savedName(response, fallback) {
  var disposition = response.headers.get("Content-Disposition") || "";
  var encoded = /filename\*=utf-8''([^;]+)/i.exec(disposition);
  if (encoded) { return decodeURIComponent(encoded[1]); }
  var plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

function saveBlob(blob, name) {
  var address = URL.createObjectURL(blob);
  var link = document.createElement("a");
  link.href = address;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(function () { URL.revokeObjectURL(address); }, 60000);
}

document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-long-job]") : null;
  if (!link || !window.fetch || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
  event.preventDefault();
  if (link.getAttribute("aria-disabled") === "true") { return; }
  var label = link.textContent;
  link.setAttribute("aria-disabled", "true");
  link.setAttribute("aria-busy", "true");
  link.classList.add("busy");
  link.textContent = link.getAttribute("data-busy-text");
  function done() {
    link.textContent = label;
    link.classList.remove("busy");
    link.removeAttribute("aria-busy");
    link.removeAttribute("aria-disabled");
  }
  fetch(link.href, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.blob().then(function (blob) {
        saveBlob(blob, savedName(response, link.getAttribute("download") || "download"));
        done();
      });
    })
    .catch(function () { done(); window.location.href = link.href; });
});
