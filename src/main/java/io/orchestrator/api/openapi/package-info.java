/**
 * Everything the service does to make vertx-web-openapi-router (and vertx-openapi's validator) serve its API as
 * {@code openapi.yaml} and the reference describe it: one entry, {@link io.orchestrator.api.openapi.OpenApiRouter},
 * and one class per work-around, each saying which Vert.x behaviour it works around. The classes here know nothing of
 * the API's handlers or renderer (ArchitectureTest); {@code OpenApiWorkaroundsTest} pins what each one is for, so
 * after a Vert.x upgrade its failures name what broke.
 */
package io.orchestrator.api.openapi;
