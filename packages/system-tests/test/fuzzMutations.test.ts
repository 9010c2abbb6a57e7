import { describe, expect, it } from "vitest"
import { mutate } from "./support/fuzz.ts"

// The fuzzer's mutations must always leave JSON it can send: a generator that hands two
// mutations the very same container (as `constantFrom([], {})` does) once built a cycle, and the
// fuzz suite failed on its own request instead of on the service.

describe("fuzz mutations", () => {
  it("add a shared container as two values, never into itself", () => {
    const shared: Array<unknown> = []
    // The first adds `shared` to the root array; the second picks the container at spot 1, which
    // is then `shared` itself, and adds the same value to it.
    const mutated = mutate([], [
      { kind: "add", spot: 0, key: "a", value: shared },
      { kind: "add", spot: 1, key: "b", value: shared }
    ])
    expect(JSON.parse(JSON.stringify(mutated))).toEqual([[[]]])
    expect(shared).toEqual([])
  })
})
