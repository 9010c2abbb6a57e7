import { Context, Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { statusOf, toApiErrorForTest } from "./support/errors.ts"
import { read } from "./support/client.ts"
import { inProcessApp } from "./support/inProcess.ts"
import { Lifecycle } from "../src/index.ts"

describe("operations routes", () => {
  it("healthcheck, livez, readyz", async () => {
    const { send, dispose } = inProcessApp()
    expect(await read(send("/v1/healthcheck"))).toMatchObject({
      status: 200,
      body: { status: "available", system_info: { environment: "development", version: "0.1.0" } }
    })
    expect(await read(send("/livez"))).toMatchObject({ status: 200, body: { status: "alive" } })
    expect(await read(send("/readyz"))).toMatchObject({ status: 200, body: { status: "ready" } })
    expect((await send("/livez", { method: "HEAD" })).status).toBe(200)
    await dispose()
  })

  it("readyz answers 503 while draining, and replies ask clients to close their connections", async () => {
    const lifecycle = Effect.runSync(Effect.scoped(Layer.build(Lifecycle.layer))).pipe(Context.get(Lifecycle))
    const { send, dispose } = inProcessApp({ lifecycle: Layer.succeed(Lifecycle, lifecycle) })
    Effect.runSync(lifecycle.startDraining)
    const res = await read(send("/readyz"))
    expect(res).toMatchObject({ status: 503, body: { error: "the server is shutting down", code: "unavailable" } })
    expect(res.headers.get("connection")).toBe("close")
    await dispose()
  })

  it("metrics: request counts and latency by route and status, and the business counters", async () => {
    const { send, dispose } = inProcessApp()
    await send("/v1/events/123")
    const text = await (await send("/metrics")).text()
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/v1\/events\/:id",status="404"\} \d+/)
    expect(text).toMatch(/http_request_duration_seconds_bucket\{method="GET",route="\/v1\/events\/:id",status="404",le="0\.005"\}/)
    expect(text).toContain("# TYPE ticketmania_tickets_sold_total counter")
    expect(text).toContain("ticketmania_sold_out_rejections_total")
    await dispose()
  })

  it("metrics include the database pool when the composition root reports it", async () => {
    const { DbPoolStats } = await import("../src/index.ts")
    const { send, dispose } = inProcessApp({
      extra: Layer.succeed(DbPoolStats, { usage: Effect.succeed({ total: 7, idle: 3, waiting: 1, max: 10 }) })
    })
    const text = await (await send("/metrics")).text()
    expect(text).toContain('ticketmania_db_pool_connections{state="busy"} 4')
    expect(text).toContain("ticketmania_db_pool_max 10")
    await dispose()
  })

  it("serves the OpenAPI document and a docs page", async () => {
    const { send, dispose } = inProcessApp()
    const spec = await read(send("/openapi.json"))
    expect(spec.status).toBe(200)
    const paths = Object.keys(spec.body.paths ?? {})
    for (const path of ["/v1/register", "/v1/login", "/v1/create-event", "/v1/events", "/v1/events/{id}", "/v1/buy-ticket", "/v1/orders", "/v1/healthcheck", "/livez", "/readyz", "/metrics"]) {
      expect(paths).toContain(path)
    }
    expect(Object.keys(spec.body.paths?.["/v1/buy-ticket"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["201", "400", "404", "409", "413", "415", "422", "429", "500"])
    )
    const docs = await send("/docs")
    expect(docs.status).toBe(200)
    expect(docs.headers.get("content-type")).toContain("text/html")
    await dispose()
  })
})

describe("error mapping", () => {
  it("gives every domain error its contract status and code", () => {
    expect(toApiErrorForTest("Forbidden")).toEqual({ status: 403, body: { error: "not your event", code: "forbidden" } })
    expect(toApiErrorForTest("EditConflict")).toMatchObject({ status: 409, body: { code: "edit_conflict" } })
    expect(toApiErrorForTest("IdempotencyInProgress")).toMatchObject({ status: 409, body: { code: "idempotency_in_progress" } })
    expect(statusOf).toBeTypeOf("function")
  })
})
