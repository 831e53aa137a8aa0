// The resident's flow in one page: one screen at a time, every answer kept in the page's
// form, sent once at the end with the uuid made when the flow started (a retry never counts
// twice). Without this script the same page is one long form that works.
// Also serves the kiosk's other pages (unlock keypad, confirmation, problems).
(() => {
  "use strict";
  document.documentElement.classList.add("js");

  const GUARD_MS = 600; // a double tap's second tap lands on the next screen: it is not an answer
  const TOGGLE_GUARD_MS = 400; // nor does it untick the box its first tap ticked
  const SCANNER_GAP_MS = 60; // a scanner types far faster than a person
  const MIN_CODE_LENGTH = 8;
  const RELOAD_AFTER_MS = 30 * 60 * 1000; // pick up a changed event, a new day's token
  const RETRY_MAX_MS = 30 * 1000;

  // Card codes and the camera: scanner.js, shared with the card holder's follow-up page.
  const { normaliseCode, validCode, looksForeign, cameraUsable } = window.hlmScanner;
  // crypto.randomUUID needs a secure page; a stand's tablet on http://192.168.x.y has none.
  const newUuid = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };

  const start = () => {
    const body = document.body;
    const flowRoot = document.getElementById("flow");
    const idleSeconds = Number(body.dataset.idle || 0);
    const onPhone = body.classList.contains("mode-phone");
    const loadedAt = Date.now();
    let lastActivity = Date.now();
    let lang = (body.dataset.lang || "fr").toLowerCase();

    // ---- Read aloud (issue 15): the prompt's recordings in the resident's language (data-audio,
    // made by people of the neighbourhood), else the browser's voice for the language, else
    // nothing, silently. Oral languages play each screen's recordings as it shows.
    const synth = window.speechSynthesis;
    const oral = new Set((body.dataset.oral || "").split(" ").filter(Boolean));
    const voice = () => (synth ? synth.getVoices().find((v) => v.lang.toLowerCase().replace("_", "-").startsWith(lang)) : null);
    const showSayButtons = () => {
      const found = voice();
      const anyWelcomeVoice = synth && ["fr", "en", "ar"].some((code) => voiceFor(code));
      document.querySelectorAll("button.say").forEach((button) => {
        button.hidden = !(button.hasAttribute("data-say-each") ? anyWelcomeVoice : found || button.dataset.audio);
      });
    };
    if (synth) synth.addEventListener("voiceschanged", showSayButtons);
    const voiceFor = (code) => (synth ? synth.getVoices().find((v) => v.lang.toLowerCase().replace("_", "-").startsWith(code)) : null);
    const player = document.querySelector("[data-prompt-player]") || new Audio();
    let queue = [];
    const stopSpeaking = () => {
      queue = [];
      player.pause();
      if (synth) synth.cancel();
    };
    // Lines read by the browser's voice, each in its own language; a language without a voice: silence.
    const speakLines = (lines) => {
      if (!synth) return;
      lines.forEach(([text, code]) => {
        const found = voiceFor(code);
        if (!found || !text) return;
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.voice = found;
        utterance.lang = found.lang;
        synth.speak(utterance); // queued: each line is read after the one before
      });
    };
    const playNext = (fallback) => {
      const url = queue.shift();
      if (!url) return;
      player.onended = () => playNext([]);
      // A recording that cannot play (deleted, offline and not cached) falls back to the voice.
      player.onerror = () => { if (!queue.length && fallback.length) speakLines(fallback); else playNext(fallback); };
      player.src = url;
      const started = player.play();
      if (started && started.catch) started.catch(() => { queue = []; speakLines(fallback); });
    };
    const speak = (urls, lines) => {
      stopSpeaking();
      queue = urls.slice();
      if (queue.length) playNext(lines); else speakLines(lines);
    };
    const audioOf = (element) => ((element && element.dataset.audio) || "").split(" ").filter(Boolean);
    // What the speaker button reads without recordings: a question and every answer offered, one
    // line each; the welcome screen line by line, each line in its own language's voice.
    const linesToRead = (button) => {
      const source = document.querySelector(button.dataset.say);
      if (!source) return [];
      if (button.hasAttribute("data-say-each")) {
        const scope = button.closest(".screen") || source;
        return Array.from(scope.querySelectorAll("h1 [lang], .languages [lang], .scan-hint [lang]"),
          (node) => [node.innerText.trim(), node.getAttribute("lang")]).filter(([text, code]) => text && voiceFor(code));
      }
      const lines = [source.innerText.trim()];
      // A question's answers: the check-in's, the feedback's faces, the topics' tiles.
      const fieldset = button.closest("fieldset[data-step], [data-say-answers]");
      if (fieldset) {
        fieldset.querySelectorAll(".tiles .tile > span, .companions-title, .numbers .tile > span, .actions .tile > span, .faces .tile > span").forEach((span) => {
          if (span.offsetParent !== null) lines.push(span.innerText.trim());
        });
      }
      return lines.filter(Boolean).map((text) => [text, lang]);
    };
    document.addEventListener("click", (event) => {
      const button = event.target.closest("button.say");
      if (!button) return;
      speak(audioOf(button), linesToRead(button));
    });
    // Bigger text for this resident only: the next one starts with the usual size.
    const setLargeText = (on) => {
      document.documentElement.classList.toggle("large-text", on);
      document.querySelectorAll("[data-large-text]").forEach((b) => b.setAttribute("aria-pressed", on ? "true" : "false"));
    };
    document.addEventListener("click", (event) => {
      if (event.target.closest("[data-large-text]")) setLargeText(!document.documentElement.classList.contains("large-text"));
    });
    let intro = []; // an oral language's recorded welcome, played before its first screen
    const autoplay = (screen) => {
      if (!oral.has(lang)) { intro = []; return; }
      const button = screen.querySelector("button.say[data-audio]");
      const urls = intro.concat(audioOf(button));
      intro = [];
      if (urls.length) speak(urls, []);
    };

    // ---- On-screen keypad (card code, animateur's PIN).
    document.addEventListener("click", (event) => {
      const key = event.target.closest("[data-key]");
      if (!key) return;
      const input = key.closest("[data-keypad]").querySelector(".code-input");
      input.value = key.dataset.key === "back" ? input.value.slice(0, -1) : input.value + key.dataset.key;
      const channel = key.closest("form") && key.closest("form").elements.channel;
      if (channel) channel.value = "keypad";
    });

    // ---- Camera (scanner.js): only where the browser gives one (secure page, a camera, permission).
    const stopCamera = window.hlmScanner.stop;
    const withoutCamera = (screen) => {
      const box = screen.querySelector("[data-camera-box]");
      const note = screen.querySelector("[data-no-camera]");
      if (box) box.hidden = true;
      if (note) note.hidden = false;
    };
    const startCamera = async (screen, onCode) => {
      const video = screen.querySelector("video[data-camera]");
      if (!video) return;
      if (!(await cameraUsable())) { withoutCamera(screen); return; }
      screen.querySelector("[data-camera-box]").hidden = false;
      try {
        await window.hlmScanner.scan(video, { decoderUrl: body.dataset.decoder, onCode,
                                               still: () => screen.classList.contains("current") || !flowRoot });
      } catch (error) {
        stopCamera(); // refused or busy: say so, and leave only the ways that work
        withoutCamera(screen);
      }
    };
    // The confirmation names only the ways this device offers for next time.
    const showNextTime = async (screen) => {
      const camera = screen.querySelector('[data-next-time="camera"]');
      if (!camera) return;
      const usable = await cameraUsable();
      camera.hidden = !usable;
      screen.querySelectorAll('[data-next-time="code"]').forEach((p) => { p.hidden = usable; });
    };
    const focusTitle = (screen) => {
      const title = screen.querySelector("h1, legend .title");
      if (title) { title.tabIndex = -1; title.focus({ preventScroll: true }); }
    };

    // ---- Idle: after idleSeconds without a touch, back to the welcome screen.
    const idleBox = () => document.getElementById("idle");
    const activity = () => { lastActivity = Date.now(); const box = idleBox(); if (box) box.hidden = true; };
    for (const type of ["pointerdown", "keydown", "touchstart", "wheel"]) {
      document.addEventListener(type, activity, { capture: true, passive: true });
    }

    if (!flowRoot) { // a page of its own: unlock, a problem, the confirmation without the flow
      const ready = (swapped) => {
        const screen = document.getElementById("screen");
        if (!screen) return;
        showSayButtons();
        showNextTime(screen);
        focusTitle(screen);
        // An oral language's screen plays its recordings as it shows, as in the flow (after a tap:
        // browsers let a page play sound once touched).
        const recorded = swapped && body.hasAttribute("data-oral-screens") && screen.querySelector("button.say[data-audio]");
        if (recorded) speak(audioOf(recorded), []);
      };
      ready(false);
      // The next screen comes through hx-boost (the voice's topics, message, thanks): its speaker too.
      document.addEventListener("htmx:afterSettle", () => { stopSpeaking(); ready(true); });
      return;
    }

    // =================== The flow ===================
    const state = { screen: "welcome", flowId: null, card: false, linking: false, askProfile: false, resumed: false,
                    shownAt: 0, returnTo: null, sending: false, waiting: null, pendingCard: null };
    const el = (selector) => flowRoot.querySelector(selector);
    const form = () => el("#checkin");
    const screenEl = (name) => (name === "result" ? el("#result > .screen")
      : el(`fieldset[data-step="${name}"]`) || el(`[data-screen="${name}"]`));
    const templates = {};
    document.querySelectorAll("template[data-lang]").forEach((t) => { templates[t.dataset.lang] = t; });
    const pageLang = lang;
    const liveTemplate = document.createElement("template");
    liveTemplate.innerHTML = flowRoot.innerHTML;
    liveTemplate.dataset.dir = flowRoot.getAttribute("dir");
    liveTemplate.dataset.textLang = flowRoot.getAttribute("lang");
    templates[pageLang] = liveTemplate;

    const checkedValue = (name) => {
      const input = form().querySelector(`input[name="${name}"]:checked`);
      return input ? input.value : null;
    };
    const checkedValues = (name) => Array.from(form().querySelectorAll(`input[name="${name}"]:checked`), (i) => i.value);

    // The questions this resident is asked, in order: the conditions are written into the page.
    const path = () => {
      if (!form()) return [];
      return Array.from(form().querySelectorAll("fieldset[data-step]")).filter((fieldset) => {
        if (fieldset.hasAttribute("data-profile") && state.card && !state.askProfile) return false;
        if (fieldset.hasAttribute("data-without-card") && state.card) return false;
        const when = fieldset.dataset.when;
        if (when) {
          const [step, value] = when.split(":");
          if (checkedValue(`${step}_do`) !== "ok" || !checkedValues(step).includes(value)) return false;
        }
        return true;
      }).map((fieldset) => fieldset.dataset.step);
    };
    const answered = (step) => {
      const fieldset = el(`fieldset[data-step="${step}"]`);
      const multi = fieldset && fieldset.querySelector('input[type="checkbox"]');
      return checkedValue(multi ? `${step}_do` : step) !== null;
    };
    const inProgress = () => state.flowId !== null && (state.card || path().some(answered));
    // Questions answered on the needs screen (children counted there, the interpreter's language
    // set there): on the path, so their answers are sent, but not screens the resident walks through.
    const inline = (step) => {
      const fieldset = el(`fieldset[data-step="${step}"]`);
      return Boolean(fieldset && fieldset.hasAttribute("data-inline"));
    };
    const screens = () => path().filter((step) => !inline(step));

    const setProgress = (screen, step) => {
      // A question asked on the needs screen (the interpreter's list opened from it) counts as the needs screen.
      const steps = screens();
      if (inline(step)) step = "needs";
      const text = screen.querySelector("[data-progress]");
      const bar = screen.querySelector("progress");
      if (!text || !bar) return;
      if (!text.dataset.template) text.dataset.template = text.textContent;
      const n = Math.max(1, steps.indexOf(step) + 1);
      text.textContent = text.dataset.template.replace("{n}", n).replace("{total}", steps.length);
      bar.max = steps.length;
      bar.value = n;
    };

    const show = (name, { push = true } = {}) => {
      const screen = screenEl(name);
      if (!screen) return;
      stopCamera();
      flowRoot.querySelectorAll(".screen.current").forEach((s) => s.classList.remove("current"));
      flowRoot.querySelectorAll(".screen[data-settled]").forEach((s) => s.removeAttribute("data-settled"));
      screen.classList.add("current");
      state.screen = name;
      if (name !== "interpreter") state.returnTo = null;
      state.shownAt = performance.now();
      // From now on a tap here is the resident's answer to this screen, not a double tap's second half.
      clearTimeout(state.settleTimer);
      state.settleTimer = setTimeout(() => { screen.dataset.settled = "1"; }, GUARD_MS);
      if (screen.matches("fieldset[data-step]")) setProgress(screen, name);
      if (name === "scan") {
        screen.classList.toggle("linking", state.linking);
        startCamera(screen, (value) => useCard(value, "camera"));
        const input = screen.querySelector(".code-input");
        if (input && !state.linking) input.value = "";
      }
      if (name === "result") showNextTime(screen);
      showSayButtons();
      if (name !== "welcome") autoplay(screen); else stopSpeaking();
      window.scrollTo(0, 0);
      focusTitle(screen);
      if (push && history.pushState) history.pushState({ hlm: state.flowId, screen: name }, "");
      activity();
    };
    const clearErrors = () => flowRoot.querySelectorAll("[data-error]").forEach((p) => { p.hidden = true; p.textContent = ""; });
    const showError = (name, message) => {
      const screen = screenEl(name);
      const line = screen && screen.querySelector("[data-error]");
      if (line) { line.textContent = message; line.hidden = false; }
    };

    // ---- The needs screen (issue 15: fewer taps). One tap a child, on its age, ticks childcare and
    // sets the children's count and age bands, as their own questions would; ticking the interpreter
    // sets its language to the resident's own, which "Langue de l'interprète" changes.
    const tick = (name, value, on) => {
      const input = form().querySelector(`input[name="${name}"][value="${value}"]`);
      if (input) input.checked = on;
    };
    const showChildren = () => {
      const buttons = Array.from(form().querySelectorAll("[data-child-age]"));
      if (!buttons.length) return;
      const total = buttons.reduce((sum, b) => sum + Number(b.dataset.count || 0), 0);
      buttons.forEach((button) => {
        const count = Number(button.dataset.count || 0);
        const badge = button.querySelector(".count");
        badge.textContent = String(count);
        badge.hidden = count === 0;
        button.classList.toggle("chosen", count > 0);
        const less = form().querySelector(`[data-child-less="${button.dataset.childAge}"]`);
        if (less) less.hidden = count === 0;
        tick("child_ages", button.dataset.childAge, count > 0);
      });
      tick("needs", "childcare", total > 0);
      form().querySelectorAll('input[name="children"], input[name="child_ages_do"]').forEach((i) => { i.checked = false; });
      if (total > 0) {
        tick("children", String(Math.min(total, 6)), true);
        tick("child_ages_do", "ok", true);
      }
    };
    const countChild = (band, step) => {
      const buttons = Array.from(form().querySelectorAll("[data-child-age]"));
      const total = buttons.reduce((sum, b) => sum + Number(b.dataset.count || 0), 0);
      const button = form().querySelector(`[data-child-age="${band}"]`);
      const count = Number(button.dataset.count || 0);
      if (step > 0 && total >= 6) return; // "6 ou plus": the most the count says
      button.dataset.count = String(Math.max(0, count + step));
      form().querySelectorAll('input[name="needs_do"]').forEach((r) => { r.checked = false; });
      showChildren();
    };
    const showInterpreter = () => {
      const line = form().querySelector("[data-interpreter-line]");
      if (!line) return;
      const wanted = checkedValues("needs").includes("interpreter");
      const needs = el('fieldset[data-step="needs"]');
      const fallback = needs && needs.dataset.interpreterDefault;
      if (wanted && !checkedValue("interpreter") && fallback) tick("interpreter", fallback, true);
      line.hidden = !wanted;
      const chosen = form().querySelector('input[name="interpreter"]:checked');
      const name = line.querySelector("[data-interpreter-name]");
      const label = chosen && chosen.value !== "skip" ? chosen.closest("label").querySelector("span:not(.icon)") : null;
      name.textContent = label ? label.textContent : name.dataset.none;
    };
    const clearNeedsScreen = () => {
      form().querySelectorAll("[data-child-age]").forEach((button) => { button.dataset.count = "0"; });
      showChildren();
      showInterpreter();
    };
    // Leaving the needs screen by an answer: what it says is complete, as the server checks it.
    const settleNeeds = () => {
      const ticked = checkedValues("needs");
      if (!checkedValue("needs_do")) tick("needs_do", ticked.length ? "ok" : "none", true);
      if (checkedValue("needs_do") === "ok" && ticked.includes("interpreter") && !checkedValue("interpreter")) {
        tick("interpreter", "skip", true); // asked for, language not given
      }
    };

    // ---- A new resident: a fresh uuid, an empty form.
    const newFlow = () => {
      const f = form();
      f.reset();
      f.elements.flow.value = newUuid();
      f.elements.lang.value = lang;
      f.elements.long.value = "";
      f.elements.channel.value = "keypad";
      f.elements.card.value = "";
      Object.assign(state, { flowId: f.elements.flow.value, card: false, linking: false, askProfile: false,
                            resumed: false, returnTo: null });
      clearNeedsScreen();
      clearErrors();
    };
    const firstStep = () => screens()[0] || null;
    const nextAfter = (step) => {
      if (step === "card_offer" && checkedValue("card_offer") === "link") return "link";
      const steps = path();
      const later = steps.slice(steps.indexOf(step) + 1).filter((s) => !inline(s));
      // Sent back to a step: the answers given after it still hold, so go straight on to the end.
      return (state.resumed ? later.find((s) => !answered(s)) : later[0]) || null;
    };
    // "Passer toutes les questions": every question left on the path is skipped, and it is sent.
    const skipAll = () => {
      for (const step of path()) {
        if (answered(step)) continue;
        const fieldset = el(`fieldset[data-step="${step}"]`);
        const multi = fieldset.querySelector('input[type="checkbox"]');
        const skip = fieldset.querySelector(`input[name="${multi ? `${step}_do` : step}"][value="skip"]`);
        if (skip) skip.checked = true;
      }
      state.linking = false;
      send();
    };
    const goOn = (next) => {
      if (next === "link") { state.linking = true; show("scan"); return; }
      if (next) show(next); else send();
    };

    // ---- Cards: scanned (camera, scanner) or typed; checked here, looked up at the end only.
    const useCard = (raw, channel) => {
      const code = normaliseCode(raw);
      const f = form();
      if (!validCode(code)) {
        if (state.screen !== "scan") { if (!state.flowId) newFlow(); show("scan"); }
        const template = el(`template[data-message="${looksForeign(raw) ? "foreign" : "bad"}"]`);
        showError("scan", template ? template.content.textContent.trim() : "");
        return;
      }
      if (!state.linking && inProgress() && state.screen !== "scan") {
        state.pendingCard = { code, channel };
        show("replace");
        return;
      }
      if (!state.linking && state.screen !== "scan") newFlow();
      if (!state.flowId) newFlow();
      f.elements.card.value = code;
      f.elements.channel.value = channel;
      clearErrors();
      if (state.linking) { send(); return; }
      state.card = true;
      goOn(firstStep());
    };

    // ---- Sending, once. A network failure keeps the answers and retries by itself.
    const queueKey = `hlm:queue:${window.location.pathname}`;
    const readQueue = () => { try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; } };
    const writeQueue = (items) => {
      try { if (items.length) localStorage.setItem(queueKey, JSON.stringify(items)); else localStorage.removeItem(queueKey); } catch (e) { /* private mode: the page keeps it */ }
    };
    let memoryQueue = readQueue();
    const enqueue = (item) => {
      memoryQueue = memoryQueue.filter((i) => i.id !== item.id).concat([item]);
      writeQueue(memoryQueue);
    };
    const dequeue = (id) => { memoryQueue = memoryQueue.filter((i) => i.id !== id); writeQueue(memoryQueue); };

    const formBody = () => {
      const f = form();
      const onPath = new Set(path());
      const linking = checkedValue("card_offer") === "link";
      const data = new URLSearchParams();
      for (const [name, value] of new FormData(f)) {
        const step = name.replace(/_do$/, "");
        const fieldset = f.querySelector(`fieldset[data-step="${step}"]`);
        if (fieldset && !onPath.has(step)) continue; // answers of questions this resident was not asked
        if (name === "card" && !state.card && !linking) continue;
        data.append(name, value);
      }
      return data;
    };
    const send = () => {
      if (state.sending) return;
      const f = form();
      const body = formBody();
      state.sending = true;
      state.lastBody = body.toString();
      show("send");
      // htmx posts the form; answers of questions not on the path are left out.
      f.querySelectorAll("fieldset[data-step]").forEach((fieldset) => {
        fieldset.disabled = !path().includes(fieldset.dataset.step);
      });
      if (!state.card && checkedValue("card_offer") !== "link") f.elements.card.disabled = true;
      if (window.htmx) window.htmx.trigger(f, "submit");
      else postByItself(); // htmx has not come yet (a phone loads it alongside the page)
    };
    // The same post without htmx, through the queue: kept until answered, retried if the network fails.
    const postByItself = async () => {
      enableAll();
      const item = { id: state.flowId, url: form().action, body: state.lastBody, at: Date.now() };
      enqueue(item);
      state.waiting = item.id;
      if (!(await retryQueue()) && state.waiting === item.id && state.screen === "send") {
        state.sending = false;
        show("offline");
      }
    };
    const enableAll = () => {
      const f = form();
      f.querySelectorAll("fieldset[data-step]").forEach((fieldset) => { fieldset.disabled = false; });
      f.elements.card.disabled = false;
    };
    document.addEventListener("htmx:beforeSend", enableAll); // the values are read by then
    const offline = () => {
      state.sending = false;
      enableAll();
      const item = { id: state.flowId, url: form().action, body: state.lastBody, at: Date.now() };
      enqueue(item);
      state.waiting = item.id;
      show("offline");
      scheduleRetry(2000);
    };
    let retryTimer = null;
    let retryDelay = 2000;
    const scheduleRetry = (delay) => {
      clearTimeout(retryTimer);
      retryDelay = delay;
      retryTimer = setTimeout(retryQueue, delay);
    };
    const retryQueue = async () => {
      const item = memoryQueue[0];
      if (!item) return false;
      let response;
      try {
        const token = document.querySelector('meta[name="csrf-token"]');
        response = await fetch(item.url, {
          method: "POST", body: item.body, credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
                     "X-CSRFToken": token ? token.content : "" },
        });
      } catch (error) { response = null; }
      if (!response || response.status >= 500) {
        scheduleRetry(Math.min(retryDelay * 2, RETRY_MAX_MS));
        return false;
      }
      const text = await response.text();
      dequeue(item.id);
      let answeredHere = false;
      if (state.waiting === item.id && (state.screen === "offline" || state.screen === "send")) {
        state.waiting = null;
        el("#result").innerHTML = text;
        if (window.htmx) window.htmx.process(el("#result")); // its own forms (feedback) post through htmx
        answered_(); // the resident still waits here: show them the answer
        answeredHere = true;
      }
      if (memoryQueue.length) scheduleRetry(500);
      return answeredHere;
    };
    window.addEventListener("online", () => { if (memoryQueue.length) scheduleRetry(0); });

    // The server's answer: a confirmation or a problem to show, or a step to go back to.
    const answered_ = () => {
      state.sending = false;
      enableAll();
      const result = el("#result");
      const back = result.querySelector("[data-send-back]");
      if (back) {
        const step = back.dataset.sendBack;
        const message = back.textContent.trim();
        result.replaceChildren();
        if (step === "first_time") state.askProfile = true;
        state.resumed = true;
        if (step === "link_scan") { state.linking = true; show("scan"); showError("scan", message); return; }
        if (step === "scan") { state.card = false; show("scan"); showError("scan", message); return; }
        if (step === "start") { newFlow(); show("start"); showError("start", message); return; }
        show(step);
        showError(step, message);
        return;
      }
      const screen = result.querySelector(".screen");
      if (!screen) return;
      state.flowId = null; // this resident is done: "back" cannot reopen their answers
      show("result", { push: false });
      if (screen.dataset.returnAfter && !onPhone) startReturnCountdown(screen);
    };
    document.addEventListener("htmx:afterSwap", (event) => {
      if (event.detail.target && event.detail.target.id === "result") answered_();
    });
    // The screens after the confirmation (feedback, orientation) swap themselves in its place.
    document.addEventListener("htmx:afterSettle", () => {
      const screen = el("#result > .screen");
      if (screen && !screen.classList.contains("current")) show("result", { push: false });
    });
    document.addEventListener("htmx:sendError", offline);
    document.addEventListener("htmx:timeout", offline);
    document.addEventListener("htmx:responseError", (event) => {
      if (event.detail.xhr && event.detail.xhr.status >= 500) offline();
    });
    // Only the flow's own send posts the form: Enter in the code field checks the card instead.
    document.addEventListener("submit", (event) => {
      if (event.target.id === "checkin" && !state.sending) { event.preventDefault(); event.stopImmediatePropagation(); }
    }, true);

    // ---- Back to the welcome screen, for the next resident.
    let doneTimer = null;
    const startReturnCountdown = (screen) => {
      clearInterval(doneTimer);
      let left = Number(screen.dataset.returnAfter || 0);
      const shown = screen.querySelector("[data-countdown]");
      doneTimer = setInterval(() => {
        if (!screen.isConnected || !screen.classList.contains("current")) { clearInterval(doneTimer); return; }
        left -= 1;
        if (shown) shown.textContent = String(Math.max(left, 0));
        if (left <= 0) { clearInterval(doneTimer); reset(); }
      }, 1000);
    };
    const reset = () => {
      clearInterval(doneTimer);
      stopCamera();
      stopSpeaking();
      // A kiosk left open for hours reloads between two residents, when the server answers.
      setLargeText(false);
      if (Date.now() - loadedAt > RELOAD_AFTER_MS && navigator.onLine !== false) {
        fetch(body.dataset.home, { method: "HEAD", credentials: "same-origin" })
          .then((r) => { if (r.ok) window.location.replace(body.dataset.home); }).catch(() => {});
      }
      if (lang !== pageLang) setLanguage(pageLang);
      state.flowId = null;
      state.waiting = null;
      el("#result").replaceChildren();
      form().reset();
      clearNeedsScreen();
      clearErrors();
      show(body.classList.contains("phone-done") ? "already" : "welcome", { push: false });
      if (history.replaceState) history.replaceState({ hlm: null, screen: state.screen }, "");
    };

    // ---- Languages, switched in the page: each language's screens are in a <template>.
    // An oral language's part comes as the French one plus its recordings (the page carries the
    // French once): its prompts get their URLs by key, its button on the welcome screen is the chosen one.
    const derive = (template) => {
      const base = templates[template.dataset.base];
      if (!base) return false;
      let recordings = {};
      try { recordings = JSON.parse(template.dataset.recordings || "{}"); } catch (error) { recordings = {}; }
      const content = base.content.cloneNode(true);
      content.querySelectorAll("[data-audio-keys]").forEach((node) => {
        const urls = node.dataset.audioKeys.split(" ").map((key) => recordings[key]).filter(Boolean);
        if (urls.length) node.dataset.audio = urls.join(" "); else delete node.dataset.audio;
      });
      content.querySelectorAll('.languages button[name="lang"]').forEach((button) => {
        button.classList.toggle("chosen", button.value === template.dataset.lang);
      });
      template.content.replaceChildren(content);
      delete template.dataset.base;
      return true;
    };
    const setLanguage = (code) => {
      const template = templates[code];
      if (!template || code === lang) return;
      if (template.dataset.base && !derive(template)) return;
      const csrf = form().elements.csrf_token.value;
      flowRoot.replaceChildren(template.content.cloneNode(true));
      flowRoot.setAttribute("lang", template.dataset.textLang || code);
      flowRoot.setAttribute("dir", template.dataset.dir || "ltr");
      document.documentElement.setAttribute("lang", template.dataset.textLang || code);
      document.documentElement.setAttribute("dir", template.dataset.dir || "ltr");
      lang = code;
      flowRoot.querySelectorAll('input[name="csrf_token"]').forEach((input) => { input.value = csrf; });
      form().elements.lang.value = code;
      if (window.htmx) window.htmx.process(flowRoot);
    };

    // ---- Taps. One tap acts once; a double tap's second half is dropped.
    const lastToggle = new WeakMap();
    document.addEventListener("click", (event) => {
      const current = flowRoot.querySelector(".screen.current");
      if (!current || !current.contains(event.target)) return;
      const now = performance.now();
      if (now - state.shownAt < GUARD_MS && event.target.closest("label, button, a, input")) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      const box = event.target.closest('input[type="checkbox"]');
      if (box) {
        if (now - (lastToggle.get(box) || -Infinity) < TOGGLE_GUARD_MS) {
          event.preventDefault();
          return;
        }
        lastToggle.set(box, now);
      }
    }, true);

    // A phone's page carries its own language only: another one comes from the server, once.
    const fetchLanguage = async (code) => {
      const response = await fetch(body.dataset.parts.replace("LANG", encodeURIComponent(code)),
                                   { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const box = document.createElement("div");
      box.innerHTML = await response.text();
      const template = box.querySelector("template[data-lang]");
      if (!template) throw new Error("no part");
      document.body.appendChild(template);
      templates[code] = template;
    };
    flowRoot.addEventListener("click", async (event) => {
      const langButton = event.target.closest('.languages button[name="lang"]');
      if (langButton) {
        event.preventDefault();
        const code = langButton.value;
        if (!templates[code] && body.dataset.parts) {
          if (langButton.getAttribute("aria-busy")) return;
          langButton.setAttribute("aria-busy", "true");
          try {
            await fetchLanguage(code);
          } catch (error) {
            langButton.form.requestSubmit(langButton); // as without the script: the server answers in that language
            return;
          } finally {
            langButton.removeAttribute("aria-busy");
          }
        }
        intro = audioOf(langButton);
        setLanguage(code);
        newFlow();
        show("start");
        return;
      }
      const go = event.target.closest("[data-go]");
      if (go) {
        event.preventDefault();
        const where = go.dataset.go;
        if (where === "begin") {
          newFlow();
          if (go.dataset.firstTime) { // "Je viens pour la première fois": the first question is answered
            tick("first_time", go.dataset.firstTime, true);
            goOn(nextAfter("first_time"));
          } else goOn(firstStep());
        } else if (where === "interpreter") {
          state.returnTo = "needs";
          show("interpreter");
        } else if (where === "scan") {
          newFlow();
          show("scan");
        } else if (where === "card") {
          const input = screenEl("scan").querySelector(".code-input");
          useCard(input.value, form().elements.channel.value || "keypad");
        } else if (where === "nocard") {
          const no = form().querySelector('input[name="card_offer"][value="no"]');
          if (no) no.checked = true;
          state.linking = false;
          send();
        } else if (where === "back") {
          history.back();
        } else if (where === "reset") {
          reset();
        } else if (where === "replace") {
          const pending = state.pendingCard;
          state.pendingCard = null;
          newFlow();
          if (pending) { state.screen = "scan"; useCard(pending.code, pending.channel); }
        } else if (where === "leave") {
          if (inProgress() && state.screen !== "result") show("leave"); else reset();
        } else if (where === "privacy") {
          show("privacy");
        } else if (where === "skip-all") {
          skipAll();
        }
        return;
      }
      const child = event.target.closest("[data-child-age], [data-child-less]");
      if (child) {
        clearErrors();
        if (child.dataset.childAge) countChild(child.dataset.childAge, 1); else countChild(child.dataset.childLess, -1);
        return;
      }
      const reset_ = event.target.closest("a[data-reset]");
      if (reset_) { event.preventDefault(); reset(); return; }
      const input = event.target.closest('fieldset[data-step] input[type="radio"]');
      if (input) {
        const fieldset = input.closest("fieldset[data-step]");
        const step = fieldset.dataset.step;
        clearErrors();
        if (step === "interpreter" && state.returnTo) { // its language changed from the needs screen
          const back = state.returnTo;
          state.returnTo = null;
          showInterpreter();
          show(back);
          return;
        }
        if (input.name === `${step}_do`) {
          if (input.value !== "ok") {
            fieldset.querySelectorAll('input[type="checkbox"]').forEach((c) => { c.checked = false; });
            if (step === "needs") clearNeedsScreen();
          }
        } else if (input.name !== "companions" && fieldset.querySelector('input[type="checkbox"]')) {
          return;
        }
        // The number of people with them is the needs screen's last answer: it moves on, as a tile does.
        if (step === "needs") settleNeeds();
        goOn(nextAfter(step));
      }
    });
    // Ticking a box after "Passer" or "Rien" undoes them: the answer is the boxes again.
    flowRoot.addEventListener("change", (event) => {
      const box = event.target.closest('fieldset[data-step] input[type="checkbox"]');
      if (!box) return;
      const fieldset = box.closest("fieldset[data-step]");
      fieldset.querySelectorAll(`input[name="${fieldset.dataset.step}_do"]`).forEach((r) => { r.checked = false; });
      if (fieldset.dataset.step === "needs") showInterpreter();
    });

    // The browser's back button (a phone's, mostly) walks back through the screens of this resident only.
    window.addEventListener("popstate", (event) => {
      const saved = event.state;
      if (saved && saved.hlm && saved.hlm === state.flowId && screenEl(saved.screen)) {
        show(saved.screen, { push: false });
      } else if (state.screen !== "result" && state.screen !== "offline") {
        if (state.flowId && state.screen !== "welcome" && state.screen !== "start") show("start", { push: false });
        else show(body.classList.contains("phone-done") ? "already" : "welcome", { push: false });
      }
    });

    // ---- Scanner as keyboard: a fast burst of characters then Enter, on any screen.
    let burst = "";
    let burstFast = true;
    let lastKeyAt = 0;
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
        if (inField && target.classList.contains("code-input") && target.closest("#flow")) {
          event.preventDefault();
          useCard(target.value, fast ? "scanner" : "keypad");
        } else if (!inField && fast) {
          event.preventDefault();
          useCard(code, "scanner");
        } else if (inField && target.closest("#checkin")) {
          event.preventDefault();
        }
        return;
      }
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
      if (gap > SCANNER_GAP_MS * 3 || burst === "") { burst = ""; burstFast = true; } else if (gap > SCANNER_GAP_MS) burstFast = false;
      burst += event.key;
      if (!inField && event.key === " ") event.preventDefault(); // a space must not press a focused button
    }, true);

    // ---- Idle reset, with a countdown for the last seconds.
    const onWelcome = () => state.screen === "welcome" || state.screen === "already";
    if (idleSeconds > 0) {
      const warnSeconds = Math.min(15, Math.ceil(idleSeconds / 3));
      document.addEventListener("click", (event) => { if (event.target.closest("[data-idle-stay]")) activity(); });
      setInterval(() => {
        const box = idleBox();
        const ownCountdown = state.screen === "result" && screenEl("result") && screenEl("result").dataset.returnAfter;
        if (onWelcome() || ownCountdown) { lastActivity = Date.now(); if (box) box.hidden = true; return; }
        const left = idleSeconds - (Date.now() - lastActivity) / 1000;
        if (left <= 0) { reset(); return; }
        if (box) {
          box.hidden = left > warnSeconds;
          box.querySelector("[data-idle-count]").textContent = String(Math.ceil(left));
        }
      }, 250);
      // Left untouched on its welcome screen for a long time: reload, if the server answers.
      setInterval(() => { if (onWelcome() && Date.now() - lastActivity > RELOAD_AFTER_MS) reset(); }, 60 * 1000);
    }

    // ---- First screen.
    if (history.replaceState) history.replaceState({ hlm: null, screen: "welcome" }, "");
    const waitingHere = memoryQueue.length > 0;
    if (waitingHere) {
      // A reload while a check-in waited for the network: it is still here, and goes on trying.
      if (onPhone) { state.waiting = memoryQueue[0].id; show("offline", { push: false }); }
      scheduleRetry(0);
    } else {
      show(body.classList.contains("phone-done") ? "already" : "welcome", { push: false });
    }
    body.dataset.kioskReady = "1"; // the scanner is listened to from here on
  };
  // "interactive": the page is parsed. Deferred scripts (htmx) run after this, and DOMContentLoaded
  // waits for them: starting here lets a resident tap while htmx still comes over a slow network.
  if (document.readyState === "loading") {
    const once = () => {
      if (document.readyState === "loading") return;
      document.removeEventListener("readystatechange", once);
      start();
    };
    document.addEventListener("readystatechange", once);
  } else start();
})();
