// The stand's enrolment page: scan the central server's QR ("URL CODE") into the two fields.
// Offered only where the camera can be had (a secure page: localhost or the stand's HTTPS).
(() => {
  const form = document.querySelector("form[data-decoder]");
  if (!form || !window.isSecureContext || !navigator.mediaDevices) return;
  const box = form.querySelector("[data-scan]");
  const video = form.querySelector("[data-scan-video]");
  box.hidden = false;
  const loadDecoder = () => new Promise((resolve, reject) => {
    if (window.jsQR) { resolve(); return; }
    const script = document.createElement("script");
    script.src = form.dataset.decoder;
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });
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
    let stream;
    try {
      await loadDecoder();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) { box.hidden = true; return; }  // refused or no camera: the fields remain
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const look = () => {
      if (!video.videoWidth) { setTimeout(look, 150); return; }
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
      if (!found) { setTimeout(look, 150); return; }
      stream.getTracks().forEach((track) => track.stop());
      video.hidden = true;
      fill(found.data);
    };
    look();
  });
})();
