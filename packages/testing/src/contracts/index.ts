export { eventRepositoryContract } from "./eventRepositoryContract.ts"
export { inventoryRaceContract } from "./inventoryRaceContract.ts"
export { mailOutboxContract } from "./mailOutboxContract.ts"
export { purchaseBatchContract } from "./purchaseBatchContract.ts"
export { passwordHasherContract, ticketCodesContract } from "./serviceContracts.ts"
export type { ContractOptions, StoragePorts } from "./StoragePorts.ts"
export { ticketInventoryContract } from "./ticketInventoryContract.ts"
export { userRepositoryContract } from "./userRepositoryContract.ts"

import type { Layer } from "effect"
import { eventRepositoryContract } from "./eventRepositoryContract.ts"
import { mailOutboxContract } from "./mailOutboxContract.ts"
import type { ContractOptions, StoragePorts } from "./StoragePorts.ts"
import { ticketInventoryContract } from "./ticketInventoryContract.ts"
import { userRepositoryContract } from "./userRepositoryContract.ts"

/** Every storage contract suite against one adapter: what a new storage adapter must pass. */
export const storageContracts = <E>(name: string, storage: Layer.Layer<StoragePorts, E>, options: ContractOptions = {}) => {
  userRepositoryContract(name, storage, options)
  eventRepositoryContract(name, storage, options)
  ticketInventoryContract(name, storage, options)
  mailOutboxContract(name, storage, options)
}
