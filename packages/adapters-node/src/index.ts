/**
 * @ticketmania/adapters-node — adapters of TicketMania ports that need Node but neither HTTP nor
 * SQL: bcrypt password hashing, cryptographic ticket codes, and mail delivery.
 */
export { BcryptCost, BcryptPasswordHasherLive, makeBcryptPasswordHasher } from "./BcryptPasswordHasher.ts"
export { CryptoTicketCodes } from "./CryptoTicketCodes.ts"
export { type SmtpSettings, SmtpConfig, type SmtpTls } from "./mailConfig.ts"
export { LogMailer, MailerLive, makeSmtpMailer, type SmtpTlsOptions } from "./SmtpMailer.ts"
