// Waits for the service's mail worker to send what the scenarios queued, so that the next
// scenario does not share the machine with the delivery of the previous one's mail.
import type { Cluster } from "./cluster.ts"

const LIMIT_MILLIS = 120_000
const POLL_MILLIS = 500

const UNSENT = "SELECT count(*) AS n FROM mail_outbox WHERE status IN ('pending', 'sending')"

/**
 * Resolves once no mail is pending or being sent in the bench's database, or in `database` when
 * given (or after two minutes, saying so).
 */
export const outboxDrained = async (cluster: Cluster, say: (line: string) => void, database?: string) => {
  const started = Date.now()
  const pending = async () => {
    const [row] = await (database === undefined ? cluster.query<{ n: string }>(UNSENT) : cluster.queryIn<{ n: string }>(database, UNSENT))
    return Number(row?.n ?? 0)
  }
  let left = await pending()
  if (left > 0) say(`waiting for ${left.toLocaleString("en-US")} queued mails to be sent`)
  while (left > 0) {
    if (Date.now() - started > LIMIT_MILLIS) return say(`${left.toLocaleString("en-US")} mails still queued after ${LIMIT_MILLIS / 1000} s; going on`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MILLIS))
    left = await pending()
  }
}
