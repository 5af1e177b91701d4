/* zhifa signature pad: pointer events (finger, stylus, mouse) on a canvas; the PNG goes into the form's hidden
   "image" field on submit. A party's refusal hides the pad and asks for what happened and a witness. No inline
   script: the page's CSP allows scripts from 'self' only. */
(function () {
  "use strict";

  function setUp(form) {
    var canvas = form.querySelector("canvas");
    var input = form.querySelector("input[name=image]");
    var clearButton = form.querySelector("[data-clear]");
    var emptyMessage = form.querySelector("[data-empty-message]");
    var refused = form.querySelector("[data-refused]");
    var refusal = form.querySelector("[data-refusal]");
    var pad = form.querySelector("[data-pad]");
    var kind = form.querySelector("[data-signer-kind]");
    var nameField = form.querySelector("[data-name-field]");
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    var last = null;

    function size() {
      var ratio = window.devicePixelRatio || 1;
      var box = canvas.getBoundingClientRect();
      canvas.width = Math.max(1, Math.round(box.width * ratio));
      canvas.height = Math.max(1, Math.round(box.height * ratio));
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#000";
      context.fillStyle = "#000";
      drawn = false;
      input.value = "";
    }

    function at(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    function dot(point) {
      context.beginPath();
      context.arc(point.x, point.y, context.lineWidth / 2, 0, 2 * Math.PI);
      context.fill();
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = at(event);
      dot(last);
      drawn = true;
      emptyMessage.classList.add("d-none");
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      if (!events.length) {
        events = [event];
      }
      events.forEach(function (each) {
        var point = at(each);
        context.beginPath();
        context.moveTo(last.x, last.y);
        context.lineTo(point.x, point.y);
        context.stroke();
        last = point;
      });
    });
    ["pointerup", "pointercancel", "lostpointercapture"].forEach(function (name) {
      canvas.addEventListener(name, function () {
        drawing = false;
      });
    });

    clearButton.addEventListener("click", function () {
      context.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
      input.value = "";
    });

    function showRefusal() {
      var isRefusal = refused && refused.checked;
      if (refusal) {
        refusal.classList.toggle("d-none", !isRefusal);
      }
      pad.classList.toggle("d-none", Boolean(isRefusal));
    }

    function showName() {
      nameField.classList.toggle("d-none", kind.value === "officer");
      if (refused) {
        refused.closest(".form-check").classList.toggle("d-none", kind.value !== "party");
        if (kind.value !== "party") {
          refused.checked = false;
          showRefusal();
        }
      }
    }

    if (refused) {
      refused.addEventListener("change", showRefusal);
    }
    kind.addEventListener("change", showName);

    form.addEventListener("submit", function (event) {
      if (refused && refused.checked) {
        input.value = "";
        return;
      }
      if (!drawn) {
        event.preventDefault();
        emptyMessage.classList.remove("d-none");
        return;
      }
      input.value = canvas.toDataURL("image/png");
    });

    var width = canvas.getBoundingClientRect().width;
    window.addEventListener("resize", function () {
      var now = canvas.getBoundingClientRect().width;
      if (!drawn && Math.abs(now - width) > 1) {
        width = now;
        size();
      }
    });
    size();
    showName();
    showRefusal();
  }

  document.querySelectorAll("form[data-signature-pad]").forEach(setUp);
})();
