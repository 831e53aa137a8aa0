// The stand's enrolment page: scan the central server's QR ("URL CODE") into the two fields, with
// the kiosk's scanner (scanner.js). Offered only where the camera can be had (a secure page:
// localhost or the stand's HTTPS).
(() => {
  const form = document.querySelector("form[data-decoder]");
  const scanner = window.hlmScanner;
  if (!form || !scanner || !window.isSecureContext || !navigator.mediaDevices) return;
  const box = form.querySelector("[data-scan]");
  const video = form.querySelector("[data-scan-video]");
  box.hidden = false;
  const fill = (value) => {
    const parts = value.trim().split(/\s+/);
    if (parts.length === 2) {
      form.elements.central_url.value = parts[0];
      form.elements.code.value = parts[1];
    } else {
      form.elements.central_url.value = value.trim();
    }
  };
  form.querySelector("[data-scan-start]").addEventListener("click", async () => {
    video.hidden = false;
    try {
      await scanner.scan(video, { decoderUrl: form.dataset.decoder,
                                  onCode: (value) => { video.hidden = true; fill(value); } });
    } catch (error) { scanner.stop(); box.hidden = true; }  // refused or no camera: the fields remain
  });
})();
