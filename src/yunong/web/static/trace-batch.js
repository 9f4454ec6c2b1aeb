// The batch page's print button: the print rules in trace.css print the QR label alone.
document.getElementById("print-label").addEventListener("click", function () {
  window.print();
});
