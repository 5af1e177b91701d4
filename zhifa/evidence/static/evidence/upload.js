// Evidence upload: show the chosen file and the upload's progress (large videos take a while on site).
// Without JavaScript the form posts normally.
(function () {
  "use strict";
  var form = document.getElementById("evidence-upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var chosen = document.getElementById("evidence-chosen");
  var progress = document.getElementById("evidence-progress");
  var inputs = form.querySelectorAll("input[type=file]");

  function describe(input) {
    if (!input.files || !input.files.length) { return; }
    var file = input.files[0];
    // Only one of the two inputs (camera, file) is sent.
    inputs.forEach(function (other) { if (other !== input) { other.value = ""; } });
    chosen.textContent = file.name + " · " + (file.size / 1048576).toFixed(1) + " MB";
  }
  inputs.forEach(function (input) {
    input.addEventListener("change", function () { describe(input); });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    progress.classList.remove("d-none");
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { progress.value = Math.round(100 * e.loaded / e.total); }
    });
    request.addEventListener("load", function () {
      if (request.responseURL && request.responseURL !== window.location.href && request.status < 400) {
        window.location.assign(request.responseURL);
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      progress.classList.add("d-none");
      chosen.textContent = form.dataset.failed || "上传中断，未保存任何内容，请重试。";
    });
    request.send(new FormData(form));
  });
})();
