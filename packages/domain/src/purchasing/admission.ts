// The admission arithmetic of the coalescer, kept apart so it can be read (and tested) on its own.
// A purchase waits for the batches ahead of it in its lane; how long a batch takes is learnt from
// the batches that ran (an exponentially weighted mean). Refusing is cheap only if it happens
// before the request is decoded, where its lane is not known yet: that early check assumes the
// waiting purchases are spread evenly over the lanes that have any, which is exact for one hot
// ticket type, the case that matters; the check in the lane itself is exact.

/** The limits admission applies. */
export interface AdmissionLimits {
  readonly maxBatch: number
  readonly maxQueued: number
  readonly maxWaitMillis: number
}

/** How much the latest batch moves the mean. */
const WEIGHT = 0.2

/** Admission state: purchases waiting, lanes with any, and the pace of batches. */
export const makeAdmission = (limits: AdmissionLimits) => {
  let queued = 0
  let batchMillis = 0

  /** Expected wait, in ms, behind `waiting` purchases of one lane (plus one batch in flight). */
  const waitBehind = (waiting: number, inFlight: boolean) =>
    (Math.floor(waiting / limits.maxBatch) + (inFlight ? 1 : 0)) * batchMillis

  return {
    /** Purchases waiting for a batch, all lanes together. */
    queued: () => queued,
    /** A purchase joined a lane's queue (or left it: `delta` -1), or a batch took some (-n). */
    count: (delta: number) => {
      queued += delta
    },
    /** A batch took `millis` from dispatch to answer. */
    batchTook: (millis: number) => {
      batchMillis = batchMillis === 0 ? millis : batchMillis + WEIGHT * (millis - batchMillis)
    },
    /** Before decoding: whether the next purchase should be turned away, given `lanes` busy lanes. */
    refuseEarly: (lanes: number): boolean => {
      if (queued >= limits.maxQueued) return true
      const perLane = lanes === 0 ? 0 : queued / lanes
      return perLane >= limits.maxBatch && waitBehind(perLane, true) > limits.maxWaitMillis
    },
    /**
     * In its lane: whether a purchase should be turned away, `waiting` being ahead of it there.
     * One that fits the lane's next batch is always taken, however slow batches are.
     */
    refuseInLane: (waiting: number, inFlight: boolean): boolean =>
      queued >= limits.maxQueued || (waiting >= limits.maxBatch && waitBehind(waiting, inFlight) > limits.maxWaitMillis)
  }
}

/** The admission state of one coalescer. */
export type Admission = ReturnType<typeof makeAdmission>
