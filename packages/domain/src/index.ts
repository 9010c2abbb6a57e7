/**
 * @ticketmania/domain — the pure core of TicketMania: entities and value objects as Effect
 * Schemas, the inventory and pricing rules, the use cases, and the ports they need. It depends on
 * `effect` only; adapters (PostgreSQL, HTTP, CLI, in-memory) plug into the ports.
 */

// Model
export * from "./model/Email.ts"
export * from "./model/Event.ts"
export * from "./model/ids.ts"
export * from "./model/Money.ts"
export * from "./model/Order.ts"
export * from "./model/Phone.ts"
export * from "./model/User.ts"

// Errors and metrics
export * from "./errors.ts"
export * from "./metrics.ts"

// Mail
export * from "./mail/MailMessage.ts"
export * from "./mail/templates.ts"

// Rules
export * from "./rules/allocate.ts"
export * from "./rules/allocateBatch.ts"
export * from "./rules/eventInput.ts"
export * from "./rules/listQuery.ts"
export * from "./rules/mailRetry.ts"
export * from "./rules/mailPace.ts"
export * from "./rules/purchaseInput.ts"
export * from "./rules/registration.ts"
export * from "./rules/salesReport.ts"
export * from "./rules/validate.ts"
export * from "./rules/withoutStackTrace.ts"

// Ports
export * from "./ports/EventRepository.ts"
export * from "./ports/EventSnapshots.ts"
export * from "./ports/Mailer.ts"
export * from "./ports/MailOutbox.ts"
export * from "./ports/PasswordHasher.ts"
export * from "./ports/PurchaseAdmission.ts"
export * from "./ports/SoldOutAnswers.ts"
export * from "./ports/SalesActivity.ts"
export * from "./ports/TicketCodes.ts"
export * from "./ports/TicketInventory.ts"
export * from "./ports/UserRepository.ts"

// Purchasing at scale: batches, admission, sold-out memo
export * from "./purchasing/coalescePurchases.ts"
export * from "./purchasing/soldOutMemo.ts"

// Use cases
export * from "./usecases/index.ts"
