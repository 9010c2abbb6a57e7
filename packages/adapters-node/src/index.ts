/**
 * @ticketmania/adapters-node — adapters of TicketMania ports that need Node but neither HTTP nor
 * SQL: bcrypt password hashing, cryptographic ticket codes, and mail delivery.
 */
export { BcryptCost, BcryptNice, BcryptPasswordHasherLive, makeBcryptPasswordHasher } from "./BcryptPasswordHasher.ts"
export { lowerThreadPoolPriority } from "./threadPriority.ts"
export { CryptoTicketCodes } from "./CryptoTicketCodes.ts"
export { type SmtpSettings, SmtpConfig, type SmtpTls } from "./mailConfig.ts"
export { LogMailer, MailerLive, makeSmtpMailer, type SmtpTlsOptions } from "./SmtpMailer.ts"
