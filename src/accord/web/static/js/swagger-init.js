// Starts Swagger UI on /docs from a file, since the page's Content-Security-Policy allows no
// inline script. The schema's URL comes from the container's data-openapi-url attribute.
//
// The swagger-ui-bundle package ships Swagger UI 4.15, which refuses any schema whose
// version field says 3.1 (FastAPI's); the parts it renders read the same in 3.0, so the
// page relabels its own copy. /openapi.json itself stays exactly what FastAPI generates.
const container = document.getElementById("swagger-ui");

async function start() {
  const response = await fetch(container.dataset.openapiUrl, { credentials: "same-origin" });
  const spec = await response.json();
  if (typeof spec.openapi === "string" && spec.openapi.startsWith("3.1")) spec.openapi = "3.0.3";
  window.SwaggerUIBundle({
    spec,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
}

start();
