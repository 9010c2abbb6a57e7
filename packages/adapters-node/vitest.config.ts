import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("adapters-node", import.meta.url)
