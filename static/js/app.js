// Every htmx request carries the CSRF token, so Flask-WTF accepts it like a form post.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
});

// The message of a refused action goes once the user acts again (not when a poll runs).
document.addEventListener("htmx:beforeRequest", (event) => {
  const region = document.getElementById("htmx-error");
  const trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
  if (region && trigger && (trigger.type === "submit" || trigger.type === "click")) region.replaceChildren();
});

// Behaviour lives here, never in inline handlers: the Content-Security-Policy forbids them.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
