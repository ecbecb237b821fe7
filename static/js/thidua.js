/* Thi đua: the little JavaScript the server-rendered pages need. No inline scripts anywhere,
   so a strict Content-Security-Policy can forbid them. */
(function () {
  "use strict";

  // Every htmx request carries the CSRF token from <meta name="csrf-token">, so POSTs made by
  // htmx pass Django's CSRF check exactly like the forms that include {% csrf_token %}.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      event.detail.headers["X-CSRFToken"] = meta.content;
    }
  });

  // A failed htmx request would otherwise do nothing visible: show the page's own message.
  function showError(text) {
    var area = document.getElementById("messages");
    if (!area || !text) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", document.body.dataset.closeLabel || "Close");
    alert.appendChild(close);
    area.appendChild(alert);
  }

  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var data = document.body.dataset;
    showError(status === 403 ? data.forbiddenMessage : data.errorMessage);
  });

  document.body.addEventListener("htmx:sendError", function () {
    showError(document.body.dataset.offlineMessage);
  });
})();
