import { Context, Duration, Effect, Layer, Semaphore } from "effect"
import { SqlError } from "effect/sql"
import { EventRepository, MailOutbox, TicketInventory, UserRepository } from "@ticketmania/domain"

// The pool of @effect/sql-pg has no acquire timeout: when every connection is busy (say, purchases
// waiting for a row lock that a stuck transaction holds), everything else queues for a connection
// without bound, and a client waits until its own request deadline. Admission puts a bound on that
// wait: at most `poolMax` storage operations run at once, each on one connection at a time; an
// operation that cannot start within `DB_ACQUIRE_TIMEOUT` dies with a connection `SqlError`, which
// the HTTP adapter answers with 503 like any other database outage. Found by the system tests.

/** Runs a storage operation once a connection is free, or fails fast. */
export interface PgAdmissionService {
  readonly admit: <A, E, R>(operation: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * Admission to the connection pool. A reference whose default admits everything at once (the
 * pool's own unbounded queue), so the storage layers work with nothing else provided;
 * `pgClientLayer` provides the bounded one.
 */
export class PgAdmission extends Context.Reference<PgAdmissionService>("@ticketmania/adapters-pg/PgAdmission", {
  defaultValue: () => ({ admit: (operation) => operation })
}) {
  /** At most `poolMax` operations at once; one that waits longer than `acquireTimeoutMillis` dies. */
  static readonly bounded = (poolMax: number, acquireTimeoutMillis: number): Layer.Layer<never> =>
    Layer.effect(
      PgAdmission,
      Effect.gen(function*() {
        const permits = yield* Semaphore.make(poolMax)
        const wait = Duration.millis(acquireTimeoutMillis)
        const busy = Effect.suspend(() => {
          const message = `no database connection became free within ${acquireTimeoutMillis} ms`
          return Effect.die(new SqlError.SqlError({ reason: new SqlError.ConnectionError({ cause: new Error(message), message, operation: "acquire" }) }))
        })
        return {
          admit: (operation) =>
            Effect.scoped(Effect.flatMap(
              Effect.timeoutOrElse(Semaphore.takeScoped(permits, 1), { duration: wait, orElse: () => busy }),
              () => operation
            ))
        }
      })
    )
}

// The storage ports, each operation admitted. Decorating the finished ports keeps every operation
// to one permit: calls inside an adapter do not go through here.

const admitted = <I, S, E, R>(
  tag: Context.Key<I, S>,
  port: Layer.Layer<I, E, R>,
  decorate: (real: S, admit: PgAdmissionService["admit"]) => S
): Layer.Layer<I, E, R> =>
  Layer.effect(tag, Effect.gen(function*() {
    const real = yield* tag
    const { admit } = yield* PgAdmission
    return decorate(real, admit)
  })).pipe(Layer.provide(port))

/** `UserRepository` with each operation admitted. */
export const admitUsers = <E, R>(port: Layer.Layer<UserRepository, E, R>) =>
  admitted(UserRepository, port, (real, admit) =>
    UserRepository.of({
      create: (user, mail) => admit(real.create(user, mail)),
      findCredentials: (email) => admit(real.findCredentials(email)),
      findByEmail: (email) => admit(real.findByEmail(email)),
      findById: (id) => admit(real.findById(id))
    }))

/** `EventRepository` with each operation admitted. */
export const admitEvents = <E, R>(port: Layer.Layer<EventRepository, E, R>) =>
  admitted(EventRepository, port, (real, admit) =>
    EventRepository.of({
      create: (event) => admit(real.create(event)),
      findById: (id) => admit(real.findById(id)),
      listPublished: (query) => admit(real.listPublished(query))
    }))

/** `TicketInventory` with each purchase, and each batch of purchases, admitted (one connection each). */
export const admitInventory = <E, R>(port: Layer.Layer<TicketInventory, E, R>) =>
  admitted(TicketInventory, port, (real, admit) =>
    TicketInventory.of({
      purchase: (command) => admit(real.purchase(command)),
      purchaseMany: (commands, options) => admit(real.purchaseMany(commands, options))
    }))

/** `MailOutbox` with each operation admitted. */
export const admitOutbox = <E, R>(port: Layer.Layer<MailOutbox, E, R>) =>
  admitted(MailOutbox, port, (real, admit) =>
    MailOutbox.of({
      enqueue: (message) => admit(real.enqueue(message)),
      claimDue: (limit, now, leaseMillis) => admit(real.claimDue(limit, now, leaseMillis)),
      markSent: (entries, at) => admit(real.markSent(entries, at)),
      markFailed: (entry, error, retryAt) => admit(real.markFailed(entry, error, retryAt))
    }))
