// "Speak instead of typing": record in the browser, send to /api/v1/transcribe, add the text to the field.
// Without this script (or a microphone) the page's upload-a-recording form does the same on the server.
(function () {
  "use strict";
  if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  document.querySelectorAll("[data-speak-for]").forEach(function (box) {
    var field = document.getElementById(box.getAttribute("data-speak-for"));
    var button = box.querySelector(".speak-button");
    var status = box.querySelector(".speak-status");
    if (!field || !button) return;
    var recorder = null;
    var chunks = [];
    button.hidden = false;

    function say(key) { status.textContent = button.getAttribute("data-" + key); }

    function send(blob) {
      var form = new FormData();
      form.append("audio", blob, "speech.webm");
      // The page's language is the language spoken: a Korean page gets Korean transcribed.
      var lang = document.documentElement.lang;
      if (lang === "en" || lang === "ko") form.append("language", lang);
      say("working");
      fetch("/api/v1/transcribe", { method: "POST", body: form })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (body) {
          var text = (body.text || "").trim();
          if (text) field.value = field.value.trim() ? field.value.replace(/\s+$/, "") + "\n" + text : text;
          say("done");
          field.focus();
        })
        .catch(function () { say("failed"); });
    }

    button.addEventListener("click", function () {
      if (recorder && recorder.state === "recording") {
        recorder.stop();
        return;
      }
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.addEventListener("dataavailable", function (e) { if (e.data.size) chunks.push(e.data); });
        recorder.addEventListener("stop", function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          button.textContent = button.getAttribute("data-start");
          button.setAttribute("aria-pressed", "false");
          send(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
        });
        recorder.start();
        button.textContent = button.getAttribute("data-stop");
        button.setAttribute("aria-pressed", "true");
        say("recording");
      }).catch(function () { say("failed"); });
    });
  });
})();
