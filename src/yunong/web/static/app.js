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
