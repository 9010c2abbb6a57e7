import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { read } from "./support/client.ts"
import { transports, useApp } from "./support/transports.ts"

// The HTTP layer's part of input handling: everything before the use case sees the body.

describe.each(transports)("request bodies (%s)", (_transport, start) => {
  const send = useApp(start, { config: { bodyLimit: 4096 } }, { beforeAll, afterAll })
  const post = (body: string | Uint8Array, headers: Record<string, string> = { "content-type": "application/json" }, path = "/v1/register") =>
    read(send(path, { method: "POST", body, headers }))

  it.each([
    ["", "the request body is empty; expected a JSON object"],
    ["   \n", "the request body is empty; expected a JSON object"],
    ['{"name": "a",\n  "email": }', "malformed JSON at line 2, column 12: unexpected character \"}\""],
    ['{"name": "a"', "malformed JSON at line 1, column 13: unexpected end of input; expected \",\" or \"}\""],
    ['{"email": "a@b.co", "email": "c@d.co"}', "malformed JSON at line 1, column 21: duplicate key \"email\""],
    ['{"name": "a"} {"x": 1}', "malformed JSON at line 1, column 15: unexpected data after the JSON value"],
    ["{'name': 'a'}", "malformed JSON at line 1, column 2: unexpected character \"'\"; expected a key in double quotes"],
    ['["a"]', "the request body must be a JSON object, not an array"],
    ['"text"', "the request body must be a JSON object, not a string"],
    ["null", "the request body must be a JSON object, not null"],
    ["[".repeat(100) + "]".repeat(100), "malformed JSON at line 1, column 65: nested deeper than 64 levels"]
  ])("400 bad_request for %j", async (body, message) => {
    const res = await post(body)
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ error: message, code: "bad_request" })
  })

  it("400 for bytes that are not UTF-8", async () => {
    const res = await post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))
    expect(res.body).toEqual({ error: "the request body is not valid UTF-8", code: "bad_request" })
  })

  it("buy-ticket takes an object or an array, not a scalar", async () => {
    const res = await post("42", undefined, "/v1/buy-ticket")
    expect(res.body).toEqual({ error: "the request body must be a JSON object or an array of objects, not a number", code: "bad_request" })
  })

  it.each(["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "multipart/form-data; boundary=x"])(
    "415 unsupported_media_type for Content-Type %s",
    async (contentType) => {
      const res = await post('{"a":1}', { "content-type": contentType })
      expect(res.status).toBe(415)
      expect(res.body.code).toBe("unsupported_media_type")
    }
  )

  it("accepts application/json with charset utf-8, +json types, and a missing Content-Type", async () => {
    for (const headers of [{ "content-type": "application/json; charset=UTF-8" }, { "content-type": "application/vnd.api+json" }, {}]) {
      // Bytes, not a string: a string body would get a text/plain Content-Type from Request.
      const res = await post(new TextEncoder().encode("{}"), headers)
      expect(res.status).toBe(422)
    }
  })

  it("413 payload_too_large over the limit, with or without Content-Length", async () => {
    const big = JSON.stringify({ name: "x".repeat(5000) })
    const declared = await post(big)
    expect(declared.status).toBe(413)
    expect(declared.body).toEqual({ error: "the request body is larger than the limit of 4096 bytes", code: "payload_too_large" })
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1000)))
        controller.close()
      }
    })
    const streamed = await read(send("/v1/register", { method: "POST", body: chunks, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit))
    expect(streamed.status).toBe(413)
  })

  it("ignores unknown keys and does not let __proto__ through", async () => {
    const res = await post('{"name": "Ada", "email": "ada@example.com", "password": "securepassword123", "__proto__": {"admin": true}, "role": "admin"}')
    expect(res.status).toBe(201)
    expect(Object.keys(res.body.user ?? {}).sort()).toEqual(["created_at", "email", "id", "name"])
  })
})
