// The API explorer over the contract this service serves. Authorize takes a bearer token (JWT), which Swagger UI
// sends in the Authorization header only: never in a URL, and not kept after the page is closed.
'use strict';

window.addEventListener('DOMContentLoaded', () => {
  window.ui = SwaggerUIBundle({
    url: '../openapi.yaml',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    deepLinking: true,
    persistAuthorization: false,
    // no configuration from the page's query string (e.g. ?url= naming another document)
    queryConfigEnabled: false,
    // no badge fetched from validator.swagger.io: nothing leaves this origin
    validatorUrl: null,
    // "Try it out" calls the service that served this page: the contract's one server is a local instance
    // (localhost:8080), while every deployment serves the same paths at its own origin
    requestInterceptor: (request) => {
      const target = new URL(request.url, window.location.href);
      if (target.origin !== window.location.origin) {
        request.url = window.location.origin + target.pathname + target.search;
      }
      return request;
    },
  });
});
