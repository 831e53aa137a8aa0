// The card holder's follow-up page (/suivi): scan the card's QR with the phone's camera (scanner.js,
// as the kiosk does) to fill in the code and see the statuses. Where the camera is refused or absent,
// say so in the page's language; typing the code works as without this script.
(() => {
  "use strict";
  const form = document.querySelector("form[data-follow]");
  if (!form || !window.hlmScanner) return;
  const scanner = window.hlmScanner;
  const start = form.querySelector("[data-scan-start]");
  const box = form.querySelector("[data-camera-box]");
  const video = form.querySelector("video[data-camera]");
  const noCamera = form.querySelector("[data-no-camera]");
  const foreign = form.querySelector("[data-foreign]");
  const input = form.elements.code;

  const withoutCamera = () => {
    scanner.stop();
    box.hidden = true;
    start.hidden = true;
    noCamera.hidden = false;
  };
  // A value read from a QR: a card's code fills the field and is sent, as if typed; anything else is said.
  const use = (value) => {
    const code = scanner.normaliseCode(value);
    box.hidden = true;
    if (!scanner.validCode(code)) {
      foreign.hidden = false;
      start.hidden = false;
      return false;
    }
    foreign.hidden = true;
    input.value = code;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
    return true;
  };
  start.addEventListener("click", async () => {
    foreign.hidden = true;
    start.hidden = true;
    box.hidden = false;
    try {
      await scanner.scan(video, { decoderUrl: form.dataset.decoder, onCode: use });
    } catch (error) {
      withoutCamera(); // refused or busy
    }
  });
  window.addEventListener("pagehide", scanner.stop);
  scanner.cameraUsable().then((usable) => {
    if (usable) start.hidden = false; else noCamera.hidden = false;
  });
  window.hlmFollow = { use }; // what a scan does, for the browser test that feeds it a decoded QR
})();
