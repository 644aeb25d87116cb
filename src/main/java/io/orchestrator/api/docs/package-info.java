/**
 * The API explorer: Swagger UI from its WebJar over the served contract, under {@code /orchestration/api/v1/docs/}.
 * Not part of the workspace API (openapi.yaml): like the console, its files need no token, and the calls it makes
 * are the API's, with the bearer token the user enters.
 */
package io.orchestrator.api.docs;
