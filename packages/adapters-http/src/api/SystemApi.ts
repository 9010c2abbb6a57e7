import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { everyRoute } from "./common.ts"
import { Unavailable } from "./errors.ts"
import { HealthReply, ProbeReply } from "./schemas.ts"

/** Health, probes and metrics. */
export class SystemApi extends HttpApiGroup.make("system")
  .add(
    HttpApiEndpoint.get("healthcheck", "/v1/healthcheck", { success: HealthReply, error: [...everyRoute] })
      .annotateMerge(OpenApi.annotations({ summary: "Service status and version" })),
    HttpApiEndpoint.get("livez", "/livez", { success: ProbeReply })
      .annotateMerge(OpenApi.annotations({ summary: "Liveness: 200 while the process runs" })),
    HttpApiEndpoint.get("readyz", "/readyz", { success: ProbeReply, error: Unavailable })
      .annotateMerge(OpenApi.annotations({
        summary: "Readiness: 200 when the database answers and the server is not shutting down, else 503"
      })),
    HttpApiEndpoint.get("metrics", "/metrics", {
      success: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/plain; version=0.0.4; charset=utf-8" }))
    }).annotateMerge(OpenApi.annotations({ summary: "Prometheus metrics" }))
  )
  .annotateMerge(OpenApi.annotations({ title: "System" }))
{}
