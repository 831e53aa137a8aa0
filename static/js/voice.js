// Residents' voice: record a voice message in the browser (MediaRecorder), at most 60 s,
// play it back, and send it only when the resident taps "Envoyer". Without MediaRecorder or
// a microphone the form keeps its file field (a phone's own recorder) and the text way.
(() => {
  "use strict";
  if (window.hlmVoice) { window.hlmVoice.setUp(); return; }

  const pickType = () => {
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return "";
    return ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"]
      .find((t) => MediaRecorder.isTypeSupported(t)) || "";
  };

  const setUp = () => {
    const form = document.querySelector("form[data-recorder]");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    const canRecord = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder);
    const $ = (selector) => form.querySelector(selector);
    const controls = $("[data-controls]");
    const start = $("[data-start]");
    const stop = $("[data-stop]");
    const again = $("[data-again]");
    const send = $("[data-send]");
    const elapsed = $("[data-elapsed]");
    const playback = $("[data-playback]");
    const audio = $("[data-audio]");
    const fallback = $("[data-fallback]");
    const fileInput = form.querySelector('input[type="file"][name="audio"]');
    const micError = $("[data-mic-error]");
    const maxSeconds = Number(form.dataset.maxSeconds || 60);
    if (!canRecord) return; // the file field stays
    controls.hidden = false;
    fallback.hidden = true;
    send.disabled = true;
    let recorder = null;
    let stream = null;
    let timer = null;
    let startedAt = 0;
    let blob = null;

    const stopTracks = () => { if (stream) stream.getTracks().forEach((t) => t.stop()); stream = null; };
    const finish = () => {
      clearInterval(timer);
      if (recorder && recorder.state !== "inactive") recorder.stop();
      stop.hidden = true;
    };
    start.addEventListener("click", async () => {
      micError.hidden = true;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        micError.hidden = false;
        return;
      }
      const type = pickType();
      const chunks = [];
      recorder = new MediaRecorder(stream, type ? { mimeType: type, audioBitsPerSecond: 32000 } : { audioBitsPerSecond: 32000 });
      recorder.addEventListener("dataavailable", (event) => { if (event.data && event.data.size) chunks.push(event.data); });
      recorder.addEventListener("stop", () => {
        stopTracks();
        const seconds = Math.min(maxSeconds, Math.round((Date.now() - startedAt) / 1000));
        blob = new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" });
        form.elements.seconds.value = String(seconds);
        audio.src = URL.createObjectURL(blob);
        playback.hidden = false;
        again.hidden = false;
        start.hidden = true;
        send.disabled = false;
      });
      startedAt = Date.now();
      recorder.start(1000);
      start.hidden = true;
      stop.hidden = false;
      elapsed.textContent = "0";
      timer = setInterval(() => {
        const seconds = Math.floor((Date.now() - startedAt) / 1000);
        elapsed.textContent = String(Math.min(seconds, maxSeconds));
        if (seconds >= maxSeconds) finish(); // 60 s at most: the recorder stops by itself
      }, 250);
    });
    stop.addEventListener("click", finish);
    again.addEventListener("click", () => {
      blob = null;
      audio.removeAttribute("src");
      playback.hidden = true;
      again.hidden = true;
      start.hidden = false;
      send.disabled = true;
      elapsed.textContent = "0";
    });
    // Sent only by this explicit tap: the recording goes in the form's file field, then a plain post.
    form.addEventListener("submit", (event) => {
      if (!blob) { event.preventDefault(); return; }
      const extension = blob.type.includes("ogg") ? "ogg" : blob.type.includes("mp4") ? "m4a" : "webm";
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], `message.${extension}`, { type: blob.type }));
      fileInput.files = transfer.files;
      send.disabled = true;
    });
    document.addEventListener("htmx:beforeSwap", () => { finish(); stopTracks(); }, { once: true });
  };

  window.hlmVoice = { setUp };
  document.addEventListener("htmx:load", setUp);
  setUp();
})();
