import { assert, describe, it } from "@effect/vitest"
import { makeAdmission } from "../src/purchasing/admission.ts"

describe("purchase admission", () => {
  const limits = { maxBatch: 10, maxQueued: 100, maxWaitMillis: 250 }

  it("takes every purchase while batches are fast, up to maxQueued", () => {
    const admission = makeAdmission(limits)
    admission.batchTook(20)
    admission.count(99)
    assert.isFalse(admission.refuseInLane(99, true))
    assert.isFalse(admission.refuseEarly(1))
    admission.count(1)
    assert.isTrue(admission.refuseInLane(0, false), "maxQueued reached")
    assert.isTrue(admission.refuseEarly(1))
  })

  it("refuses a purchase that would wait past maxWaitMillis behind full batches", () => {
    const admission = makeAdmission(limits)
    admission.batchTook(100)
    admission.count(30)
    // 3 full batches plus the one in flight ahead: 400 ms.
    assert.isTrue(admission.refuseInLane(30, true))
    // 2 full batches at 100 ms: 200 ms.
    assert.isFalse(admission.refuseInLane(20, false))
    // Early, 30 waiting over 3 busy lanes are 10 a lane: one full batch and one in flight.
    assert.isFalse(admission.refuseEarly(3))
    assert.isTrue(admission.refuseEarly(1))
  })

  it("always takes a purchase that fits the next batch, however slow batches are", () => {
    const admission = makeAdmission(limits)
    admission.batchTook(5_000)
    admission.count(9)
    assert.isFalse(admission.refuseInLane(9, true))
    assert.isFalse(admission.refuseEarly(1))
  })
})
