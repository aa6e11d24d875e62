// policykg: YASGUI on the site's own SPARQL endpoint (/sparql). Runs only on GET /query.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var runAtOnce = window.location.hash === "#run";  // read before YASGUI handles the hash
  var endpoint = new URL("/sparql", window.location.href).toString();
  // Class and property completion ask an outside service (LOV); keep completion local.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: "policykg-yasgui",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } }
  });
  var tab = yasgui.getTab();
  if (tab && el.dataset.example && tab.getQuery().indexOf("pkg:") === -1) {
    tab.setQuery(el.dataset.example);
  }
  // /query#run runs the query at once (a link that shows results, and the browser test's hook).
  // The editor of a tab is built after the tab is shown: wait for it (at most 5 s).
  function run(tries) {
    var yasqe = tab.getYasqe();
    if (yasqe) { yasqe.query(); } else if (tries < 50) { setTimeout(function () { run(tries + 1); }, 100); }
  }
  if (tab && runAtOnce) { run(0); }
  // The canned queries listed above the editor: each opens in a tab of its own (once).
  Array.prototype.forEach.call(document.querySelectorAll("button.canned-query"), function (button) {
    button.addEventListener("click", function () {
      yasgui.addTab(true, { name: button.dataset.name, yasqe: { value: button.dataset.query } },
                    { avoidDuplicateTabs: true });
    });
  });
  window.policykgYasgui = yasgui;
})();
