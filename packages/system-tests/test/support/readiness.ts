// Watches `/readyz` the way a load balancer does: one probe every `intervalMillis`, each bounded
// by a timeout. Records every change of answer, and lets a test wait for a given answer.

export interface ReadinessWatch {
  /** Each change: the answer (a status, or 0 for no answer) and when it was first seen. */
  readonly changes: () => ReadonlyArray<{ readonly status: number; readonly at: number }>
  /** Resolves with the time it was seen once `/readyz` answers `status`, or rejects after `timeoutMillis`. */
  readonly waitFor: (status: number, timeoutMillis: number) => Promise<number>
  readonly stop: () => Promise<void>
}

export const watchReadiness = (base: string, intervalMillis = 50): ReadinessWatch => {
  const changes: Array<{ status: number; at: number }> = []
  const waiters: Array<{ status: number; resolve: (at: number) => void }> = []
  let running = true
  const probe = async () => {
    const status = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3_000) }).then(
      async (r) => {
        await r.arrayBuffer()
        return r.status
      },
      () => 0
    )
    const at = Date.now()
    if (changes.at(-1)?.status !== status) changes.push({ status, at })
    for (const waiter of waiters.filter((w) => w.status === status)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(at)
    }
  }
  const loop = (async () => {
    // Bounded by the test: stop() ends it; the cap is a backstop of 10 minutes of probes.
    for (let i = 0; running && i < 600_000 / intervalMillis; i++) {
      await probe()
      await new Promise((resolve) => setTimeout(resolve, intervalMillis))
    }
  })()
  return {
    changes: () => changes,
    waitFor: (status, timeoutMillis) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`/readyz did not answer ${status} within ${timeoutMillis} ms`)), timeoutMillis)
        waiters.push({
          status,
          resolve: (at) => {
            clearTimeout(timer)
            resolve(at)
          }
        })
      }),
    stop: async () => {
      running = false
      await loop
    }
  }
}
