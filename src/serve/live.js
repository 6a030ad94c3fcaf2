// radpress serve: reload on save, swap stylesheets in place, and show build errors over the page.
// Injected by `radpress serve` only; `radpress build` never writes it.
(function () {
  var overlay = null;
  function show(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "radpress-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;" +
        "padding:16px 20px;border-top:4px solid #e5484d;white-space:pre-wrap;margin:0";
      document.body.appendChild(overlay);
    }
    overlay.textContent =
      "radpress: the last save did not build. You are looking at the last good version.\n\n" + message;
  }
  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }
  var events = new EventSource("/__radpress/events");
  events.addEventListener("reload", function () {
    location.reload();
  });
  events.addEventListener("css", function (e) {
    var paths = JSON.parse(e.data);
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      var match = paths.some(function (p) {
        return url.pathname === p || url.pathname.endsWith(p);
      });
      if (match) {
        url.searchParams.set("radpress", String(Date.now()));
        link.href = url.toString();
      }
    });
    hide();
  });
  events.addEventListener("build-error", function (e) {
    show(JSON.parse(e.data));
  });
  events.addEventListener("ok", hide);
})();
