import { DateTime } from "effect"
import type { Event, PageInfo, Receipt, TicketType, User } from "@ticketmania/domain"
import type { EventJson, PurchaseReply, UserJson } from "../api/schemas.ts"

// Domain models (camelCase, DateTime) to the contract's wire shapes (snake_case, RFC 3339).

/** RFC 3339 in UTC with `Z`, to the second: `2026-02-07T10:30:00Z`. */
export const timestamp = (dt: DateTime.DateTime): string =>
  new Date(DateTime.toEpochMillis(dt)).toISOString().replace(/\.\d{3}Z$/, "Z")

export const userJson = (user: User): UserJson => ({
  id: user.id,
  name: user.name,
  email: user.email,
  created_at: timestamp(user.createdAt)
})

const ticketTypeJson = (tt: TicketType) => ({
  id: tt.id,
  event_id: tt.eventId,
  name: tt.name,
  price: tt.price,
  currency: tt.currency,
  total_qty: tt.totalQty,
  sold_qty: tt.soldQty,
  available_qty: tt.availableQty,
  max_per_order: tt.maxPerOrder
})

export const eventJson = (event: Event): EventJson => ({
  id: event.id,
  title: event.title,
  description: event.description,
  location: event.location,
  date: event.date,
  start_time: timestamp(event.startTime),
  end_time: timestamp(event.endTime),
  status: event.status,
  organizer_id: event.organizerId,
  created_at: timestamp(event.createdAt),
  updated_at: timestamp(event.updatedAt),
  ticket_types: [...event.ticketTypes].sort((a, b) => a.id - b.id).map(ticketTypeJson)
})

export const pageJson = (page: PageInfo) => ({
  current_page: page.currentPage,
  per_page: page.perPage,
  total_pages: page.totalPages,
  total: page.total
})

export const purchaseJson = ({ order, tickets }: Receipt): PurchaseReply => ({
  order: {
    id: order.id,
    user_id: order.userId,
    buyer_email: order.buyerEmail,
    total_amount: order.totalAmount,
    currency: order.currency,
    created_at: timestamp(order.createdAt)
  },
  tickets: tickets.map((t) => ({
    id: t.id,
    order_id: t.orderId,
    event_id: t.eventId,
    ticket_type_id: t.ticketTypeId,
    user_id: t.userId,
    status: t.status,
    code: t.code,
    buyer_email: t.buyerEmail,
    buyer_phone: t.buyerPhone,
    price: t.price,
    created_at: timestamp(t.createdAt)
  })),
  total_amount: order.totalAmount,
  currency: order.currency
})
