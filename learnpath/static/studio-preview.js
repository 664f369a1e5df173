// Live rule preview: while the author edits a rule, ask the same GET preview the Preview button
// sends and swap in the panel (the page works the same without this script).
(function () {
  var form = document.getElementById("rule-form");
  var panel = document.getElementById("preview");
  if (!form || !panel || !window.fetch) return;
  var timer = null;
  var asked = 0;
  function refresh() {
    var query = new URLSearchParams(new FormData(form));
    query.delete("csrf_token");
    query.set("preview", "1");
    var mine = ++asked;
    fetch(form.action + "?" + query.toString(), {headers: {"X-Preview": "1"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null || mine !== asked) return;  // a newer answer is on its way
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("preview");
        if (fresh) panel.innerHTML = fresh.innerHTML;
      });
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
