import { isIPv6 } from "node:net"

// Whose bucket a request draws from. An IPv4 client is its address; an IPv6 client is its /64
// network, since one subscriber usually holds a whole /64 and could otherwise rotate through
// addresses to escape the limit (and grow the limiter's state without bound).

/** The rate-limit key of a client address. */
export const clientKey = (address: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (mapped !== undefined) return mapped
  if (!isIPv6(address)) return address
  const [head = "", tail = ""] = address.split("::")
  const left = head === "" ? [] : head.split(":")
  const right = tail === "" ? [] : tail.split(":")
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`
}
