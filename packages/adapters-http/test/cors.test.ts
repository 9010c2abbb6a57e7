import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { transports, useApp } from "./support/transports.ts"

describe.each(transports)("CORS (%s)", (_transport, start) => {
  const trusted = "https://app.example.com"
  const send = useApp(start, { config: { corsOrigins: [trusted, "http://localhost:5173"] } }, { beforeAll, afterAll })

  it("answers a preflight from a trusted origin with the allowed methods and headers", async () => {
    const res = await send("/v1/events", {
      method: "OPTIONS",
      headers: { origin: trusted, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" }
    })
    expect(res.status).toBe(204)
    expect(res.headers.get("access-control-allow-origin")).toBe(trusted)
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD, POST, OPTIONS")
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization")
    expect(res.headers.get("vary")).toBe("Origin")
  })

  it("adds CORS headers to actual requests from a trusted origin, exposing Location and the request id", async () => {
    const res = await send("/v1/healthcheck", { headers: { origin: trusted } })
    expect(res.status).toBe(200)
    expect(res.headers.get("access-control-allow-origin")).toBe(trusted)
    expect(res.headers.get("access-control-expose-headers")).toContain("Location")
  })

  it("gives other origins no CORS headers at all", async () => {
    const preflight = await send("/v1/events", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" }
    })
    expect(preflight.status).toBe(204)
    const actual = await send("/v1/healthcheck", { headers: { origin: "https://evil.example" } })
    for (const res of [preflight, actual]) {
      expect([...res.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([])
    }
  })

  it("answers a plain OPTIONS with Allow, and 404 for an unknown path", async () => {
    const known = await send("/v1/events/12", { method: "OPTIONS" })
    expect(known.status).toBe(204)
    expect(known.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
    const unknown = await send("/v2/nothing", { method: "OPTIONS" })
    expect(unknown.status).toBe(404)
  })
})
