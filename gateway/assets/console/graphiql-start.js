// Starts GraphiQL (the vendored UMD build) against this gateway's /graphql, with the README's
// tour as its first tabs. `/graphql#query=…&variables=…` (the console's "Open in GraphiQL")
// opens that query in a tab of its own. Nothing is fetched but /graphql.
(function () {
  'use strict';
  var tour = JSON.parse(document.getElementById('simpul-tour').textContent);
  var tabs = tour.map(function (t) {
    return { query: t.query, variables: t.variables || undefined };
  });
  var asked = new URLSearchParams(window.location.hash.slice(1));
  var props = {
    fetcher: GraphiQL.createFetcher({
      url: new URL('/graphql', window.location.href).href,
      enableIncrementalDelivery: false,
    }),
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  };
  if (asked.get('query')) {
    var tab = { query: asked.get('query'), variables: asked.get('variables') || undefined };
    tabs.unshift(tab);
    props.query = tab.query;
    if (tab.variables) props.variables = tab.variables;
  }
  props.defaultTabs = tabs;
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, props));
})();
