import { describe, expect, it } from "vitest"
import { clientKey } from "../src/http/clientKey.ts"

describe("rate-limit keys", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:85a3:12:8a2e:370:7334:1", "2001:db8:85a3:12::/64"],
    ["2001:0db8:85a3:0012:ffff::2", "2001:db8:85a3:12::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"]
  ])("%s draws from %s", (address, key) => {
    expect(clientKey(address)).toBe(key)
  })
})
