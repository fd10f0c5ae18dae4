/** A heavily commented system.yaml: comments above and beside keys, flow and block styles, blank lines. */
export const commented = `# yaml-language-server: $schema=../schema/system.schema.json
# A shop, described with comments everywhere.
version: 1   # the format version
name: shop
description: "Shop, with quotes"

defaults:
  runtime: node      # most services are node
  database: postgres

broker: rabbitmq

gateway:
  kind: node
  port: 8080
  auth: jwt
  routes:
    - { path: /orders, service: order }   # orders are public
    - path: /products
      service: product

teams:
  # checkout owns the money path
  checkout: [order, payment]   # two services
  catalog:
    - product

services:
  # The order service.
  order:
    port: 3001
    database: orders   # owned by order
    entities:
      Order:
        userId: string
        quantity: integer
    calls:
      # stock checks
      product: ['GET /products/{id}']
      payment:
        endpoints:
          - POST /payments
        timeoutMs: 1500
    publishes: [OrderPlaced]
    subscribes:
      - PaymentConfirmed

  # The catalogue.
  product:
    database: products
    entities: { Product: { sku: string, price: number } }
    subscribes: [OrderPlaced]

  payment:
    runtime: python
    database: payments
    entities:
      Payment:
        orderId: string
    publishes:
      - PaymentConfirmed    # after the charge
    subscribes: [OrderPlaced]

# Every event's payload.
events:
  OrderPlaced: { orderId: string, quantity: integer }   # placed
  PaymentConfirmed: { orderId: string }

lint:
  rules:
    sync-chain-depth: [warn, { max: 3 }]   # keep it short
`;
