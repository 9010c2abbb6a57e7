// Every command and query of TicketMania, on one screen.

// Accounts
export { authenticateUser } from "./authenticateUser.ts"
export { findUserByEmail } from "./findUserByEmail.ts"
export { registerUser } from "./registerUser.ts"

// Events
export { createEvent } from "./createEvent.ts"
export { getEvent } from "./getEvent.ts"
export { inspectEvent } from "./inspectEvent.ts"
export { listEvents } from "./listEvents.ts"

// Sales
export { purchaseSoldOutNow } from "./purchaseSoldOutNow.ts"
export { purchaseTickets, type PurchaseContext } from "./purchaseTickets.ts"
export { salesReport } from "./salesReport.ts"

// Mail
export { deliverPendingMail, type DeliveryPass, runMailWorker } from "./deliverPendingMail.ts"
