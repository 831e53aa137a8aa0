// The resident's kiosk: idle reset, scanner (keyboard wedge), camera, keypad, read aloud.
// Everything here is an extra: without it the screens are plain forms that still work.
(() => {
  "use strict";
  const body = document.body;
  const home = body.dataset.home;
  const idleSeconds = Number(body.dataset.idle || 0);
  const warnSeconds = Math.min(15, Math.ceil(idleSeconds / 3));
  const lang = (body.dataset.lang || "fr").toLowerCase();
  const SCANNER_GAP_MS = 60; // a scanner types far faster than a person
  const MIN_CODE_LENGTH = 8;

  // Going home replaces the history entry, so "back" cannot show the previous resident.
  const reset = () => { if (home) window.location.replace(home); };
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-reset]");
    if (link) { event.preventDefault(); window.location.replace(link.href); }
  });

  // Idle: after idleSeconds without a touch, go home; show a countdown for the last seconds.
  const idleBox = document.getElementById("idle");
  let lastActivity = Date.now();
  const onWelcome = () => document.querySelector('#screen[data-screen="welcome"]') !== null;
  // A screen with its own countdown (the confirmation, the new card to photograph) keeps its
  // full time: no "still there?" box over the card, no reset before the countdown ends.
  const ownCountdown = () => document.querySelector("#screen[data-return-after]") !== null;
  const activity = () => { lastActivity = Date.now(); if (idleBox) idleBox.hidden = true; };
  for (const type of ["pointerdown", "keydown", "touchstart", "wheel"]) {
    document.addEventListener(type, activity, { capture: true, passive: true });
  }
  document.addEventListener("htmx:afterSwap", activity);
  if (idleSeconds > 0 && idleBox) {
    const count = idleBox.querySelector("[data-idle-count]");
    idleBox.querySelector("[data-idle-stay]").addEventListener("click", activity);
    setInterval(() => {
      if (onWelcome() || ownCountdown()) { lastActivity = Date.now(); idleBox.hidden = true; return; }
      const left = idleSeconds - (Date.now() - lastActivity) / 1000;
      if (left <= 0) { reset(); return; }
      idleBox.hidden = left > warnSeconds;
      count.textContent = String(Math.ceil(left));
    }, 250);
  }

  // A form stays valid CSRF_TIME_LIMIT_HOURS (12 by default): a kiosk left on its welcome screen
  // reloads it every hour, so the first resident of the afternoon never meets an expired page.
  const RELOAD_UNTOUCHED_MS = 60 * 60 * 1000;
  setInterval(() => {
    if (onWelcome() && Date.now() - lastActivity > RELOAD_UNTOUCHED_MS) reset();
  }, 60 * 1000);

  // Confirmation: count down, then home.
  let doneTimer = null;
  const startReturnCountdown = (screen) => {
    clearInterval(doneTimer);
    let left = Number(screen.dataset.returnAfter || 0);
    if (!left || body.classList.contains("mode-phone")) return;
    const shown = screen.querySelector("[data-countdown]");
    doneTimer = setInterval(() => {
      if (!screen.isConnected) { clearInterval(doneTimer); return; }
      left -= 1;
      if (shown) shown.textContent = String(Math.max(left, 0));
      if (left <= 0) { clearInterval(doneTimer); reset(); }
    }, 1000);
  };

  // Scanner as keyboard: a fast burst of characters then Enter, on any screen, nothing touched first.
  let burst = "";
  let burstFast = true;
  let lastKeyAt = 0;
  const submitForm = (form) => {
    if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
  };
  const submitWedge = (code) => {
    const form = document.getElementById("wedge");
    if (!form) return;
    form.elements.code.value = code;
    const flow = document.querySelector('#screen input[name="flow"]');
    form.elements.flow.value = flow ? flow.value : "";
    submitForm(form);
  };
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const inField = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
    const now = performance.now();
    const gap = now - lastKeyAt;
    lastKeyAt = now;
    if (event.key === "Enter") {
      const code = burst;
      const fast = burstFast && code.length >= MIN_CODE_LENGTH;
      burst = "";
      if (!inField && fast) {
        event.preventDefault();
        submitWedge(code);
      } else if (inField && fast && target.form && target.form.elements.channel) {
        target.form.elements.channel.value = "scanner";
      }
      return;
    }
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    if (gap > SCANNER_GAP_MS * 3 || burst === "") { burst = ""; burstFast = true; }
    else if (gap > SCANNER_GAP_MS) burstFast = false;
    burst += event.key;
    if (!inField && event.key === " ") event.preventDefault(); // a space must not press a focused button
  }, true);

  // On-screen keypad.
  document.addEventListener("click", (event) => {
    const key = event.target.closest("[data-key]");
    if (!key) return;
    const input = key.closest("form").querySelector(".code-input");
    input.value = key.dataset.key === "back" ? input.value.slice(0, -1) : input.value + key.dataset.key;
    const channel = key.closest("form").elements.channel;
    if (channel) channel.value = "keypad";
  });

  // Camera: only where the browser gives one. Pages served without HTTPS have no
  // navigator.mediaDevices; a refused permission or a tablet without a camera has none either.
  const cameraUsable = async () => {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return false;
    try {
      if (navigator.permissions && navigator.permissions.query) {
        const permission = await navigator.permissions.query({ name: "camera" });
        if (permission.state === "denied") return false;
      }
    } catch (error) { /* this browser cannot tell before asking: ask */ }
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      return devices.some((device) => device.kind === "videoinput");
    } catch (error) { return false; }
  };
  const withoutCamera = (screen) => {
    const box = screen.querySelector("[data-camera-box]");
    const note = screen.querySelector("[data-no-camera]");
    if (box) box.hidden = true;
    if (note) note.hidden = false;
  };
  const showWaysToCheckIn = async (screen) => {
    const usable = await cameraUsable();
    // The confirmation names only the ways this device offers for next time.
    const camera = screen.querySelector('[data-next-time="camera"]');
    if (camera) {
      camera.hidden = !usable;
      screen.querySelectorAll('[data-next-time="code"]').forEach((p) => { p.hidden = usable; });
    }
    const video = screen.querySelector("video[data-camera]");
    if (!video) return;
    if (!usable) { withoutCamera(screen); return; }
    screen.querySelector("[data-camera-box]").hidden = false;
    startCamera(video, screen);
  };

  // Reading the QR: the browser's BarcodeDetector, else the jsQR decoder served from static/vendor.
  let stream = null;
  const stopCamera = () => {
    if (stream) { stream.getTracks().forEach((track) => track.stop()); stream = null; }
  };
  const loadScript = (src) => new Promise((resolve, reject) => {
    if (window.jsQR) { resolve(); return; }
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });
  const makeDetector = async (video) => {
    if ("BarcodeDetector" in window) {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return async () => { const found = await detector.detect(video); return found.length ? found[0].rawValue : null; };
    }
    await loadScript(body.dataset.decoder);
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      const scale = Math.min(1, 640 / (video.videoWidth || 640));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      if (!canvas.width || !canvas.height) return null;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
      return found ? found.data : null;
    };
  };
  const startCamera = async (video, screen) => {
    const form = screen.querySelector("[data-keypad]");
    try {
      stopCamera();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      if (!video.isConnected) { stopCamera(); return; }
      video.srcObject = stream;
      await video.play();
      const detect = await makeDetector(video);
      const loop = async () => {
        if (!video.isConnected || !stream) { stopCamera(); return; }
        let value = null;
        try { value = await detect(); } catch (error) { value = null; }
        if (value && form) {
          stopCamera();
          form.elements.code.value = value;
          form.elements.channel.value = "camera";
          submitForm(form);
          return;
        }
        setTimeout(loop, 150);
      };
      loop();
    } catch (error) {
      stopCamera();  // refused or busy: say so, and leave only the ways that work
      if (video.isConnected) withoutCamera(screen);
    }
  };
  document.addEventListener("htmx:beforeSwap", stopCamera);

  // Read aloud, only where the browser has a voice for the chosen language.
  const synth = window.speechSynthesis;
  const voice = () => (synth ? synth.getVoices().find((v) => v.lang.toLowerCase().replace("_", "-").startsWith(lang)) : null);
  const showSayButtons = () => {
    const found = voice();
    document.querySelectorAll("button.say").forEach((button) => { button.hidden = !found; });
  };
  if (synth) synth.addEventListener("voiceschanged", showSayButtons);
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.say");
    if (!button || !synth) return;
    const source = document.querySelector(button.dataset.say);
    const utterance = new SpeechSynthesisUtterance(source ? source.innerText : "");
    utterance.voice = voice();
    utterance.lang = utterance.voice ? utterance.voice.lang : lang;
    synth.cancel();
    synth.speak(utterance);
  });

  // Each new screen, first load or htmx swap.
  const setUp = () => {
    const screen = document.getElementById("screen");
    if (!screen || screen.dataset.ready) return;
    screen.dataset.ready = "1";
    showSayButtons();
    screen.querySelectorAll(".keys").forEach((keys) => { keys.hidden = false; });
    showWaysToCheckIn(screen);
    if (screen.dataset.returnAfter) startReturnCountdown(screen);
    const focus = screen.querySelector("h1");
    if (focus) { focus.tabIndex = -1; focus.focus({ preventScroll: true }); }
  };
  document.addEventListener("htmx:load", setUp);
  setUp();
  body.dataset.kioskReady = "1"; // the scanner is listened to from here on
})();
