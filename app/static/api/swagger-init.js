// Start Swagger UI on /api/docs from a file, so the page needs no inline script.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui-container");
  var config = JSON.parse(container.dataset.config || "{}");
  config.url = container.dataset.specUrl;
  config.dom_id = "#swagger-ui-container";
  window.ui = SwaggerUIBundle(config);
})();
