import { assert, describe, it } from "@effect/vitest"
import { SoldOut, TicketTypeId, withoutStackTrace } from "../src/index.ts"

const soldOut = () => new SoldOut({ ticketTypeId: TicketTypeId.make(1), ticketTypeName: "Pit", asked: 2, left: 0 })
const limit = () => Reflect.get(Error, "stackTraceLimit")

describe("withoutStackTrace", () => {
  it("builds the error alike, without the frames of a stack trace", () => {
    const plain = soldOut()
    const bare = withoutStackTrace(soldOut)
    assert.include(plain.stack ?? "", "\n    at ")
    assert.notInclude(bare.stack ?? "", "\n    at ")
    assert.strictEqual(bare.message, plain.message)
    assert.deepStrictEqual({ ...bare }, { ...plain })
  })

  it("puts the limit back, also when building throws", () => {
    const before = limit()
    withoutStackTrace(soldOut)
    assert.strictEqual(limit(), before)
    assert.throws(() => withoutStackTrace(() => new SoldOut({ ticketTypeId: TicketTypeId.make(1), ticketTypeName: "Pit", asked: -1.5, left: 0 })))
    assert.strictEqual(limit(), before)
  })
})
