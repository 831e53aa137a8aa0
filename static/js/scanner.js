// The card scanner shared by the kiosk's flow (kiosk.js) and the card holder's follow-up page
// (follow.js): card codes checked as kiosk/codes.py does, and a camera that reads a QR with the
// browser's BarcodeDetector, else jsQR (loaded only when needed).
(() => {
  "use strict";
  if (window.hlmScanner) return;
  const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  const QR_PREFIX = "HLM1:";

  // Card codes: the same check as kiosk/codes.py, so a scan needs no round trip.
  const normaliseCode = (raw) => {
    let text = (raw || "").trim();
    if (text.toUpperCase().startsWith(QR_PREFIX)) text = text.slice(QR_PREFIX.length);
    return text.toUpperCase().replace(/[\s-]/g, "");
  };
  const validCode = (code) => {
    if (code.length !== 10) return false;
    let total = 0;
    for (let i = 0; i < 9; i += 1) {
      const value = ALPHABET.indexOf(code[i]);
      if (value < 0) return false;
      total += (i + 1) * value;
    }
    return ALPHABET[total % ALPHABET.length] === code[9];
  };
  const looksForeign = (raw) => {
    const text = (raw || "").trim();
    if (text.toUpperCase().startsWith(QR_PREFIX)) return false;
    return text.includes("://") || normaliseCode(text).length > 14 || text.includes(":");
  };

  // ---- Camera: only where the browser gives one (secure page, a camera, permission).
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
  const loadDecoder = (src) => new Promise((resolve, reject) => {
    if (window.jsQR) { resolve(); return; }
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });
  // What a QR in these pixels says, or null (jsQR must be loaded).
  const decodeImage = (image) => {
    const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
    return found ? found.data : null;
  };
  const makeDetector = async (video, decoderUrl) => {
    if ("BarcodeDetector" in window) {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return async () => { const found = await detector.detect(video); return found.length ? found[0].rawValue : null; };
    }
    await loadDecoder(decoderUrl);
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      const scale = Math.min(1, 640 / (video.videoWidth || 640));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      if (!canvas.width || !canvas.height) return null;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      return decodeImage(context.getImageData(0, 0, canvas.width, canvas.height));
    };
  };

  let stream = null;
  const stop = () => {
    if (stream) { stream.getTracks().forEach((track) => track.stop()); stream = null; }
  };
  // Film with the back camera into the video until a QR is read: onCode(value), the camera stopped.
  // Throws where the camera is refused or busy; still(): false once the page no longer wants it.
  const scan = async (video, { decoderUrl, onCode, still = () => true }) => {
    stop();
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    if (!still()) { stop(); return; }
    video.srcObject = stream;
    await video.play();
    const detect = await makeDetector(video, decoderUrl);
    const loop = async () => {
      if (!stream || !video.isConnected) { stop(); return; }
      let value = null;
      try { value = await detect(); } catch (error) { value = null; }
      if (value) { stop(); onCode(value); return; }
      setTimeout(loop, 150);
    };
    loop();
  };

  window.hlmScanner = { QR_PREFIX, normaliseCode, validCode, looksForeign, cameraUsable, loadDecoder, decodeImage,
                        scan, stop };
})();
