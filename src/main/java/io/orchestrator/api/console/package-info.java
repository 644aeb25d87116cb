/**
 * The web console's server side (DESIGN §10): its static files from the jar under {@code /console/}, with the
 * security headers every console response carries, and the zero-set-up sign-in {@code POST /console/dev-token}.
 * Not part of the workspace API (openapi.yaml): the console talks to that API as any client does.
 */
package io.orchestrator.api.console;
