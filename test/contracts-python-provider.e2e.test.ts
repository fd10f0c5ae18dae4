import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allGreen, cleanUp, contractSuite, edit, expectedPacts, pactFiles, prepare, suiteTimeout, writePacts, type Polyglot } from './support/polyglot-contracts.js';
import { prepareYaml } from './support/running-system.js';
import { ensurePostgres } from './support/services.js';

/**
 * The contract tests of systems written here whose Python service is the
 * provider and publisher, for a Node.js and a Python consumer; and a Python
 * provider whose handlers call another service, verified with the stand-ins
 * its extensions.py gives for that service.
 */

beforeAll(() => ensurePostgres());

const polyglotYaml = `
version: 1
name: polyglot
description: A Python provider and publisher with a Node.js and a Python consumer
defaults:
  runtime: node
broker: rabbitmq
services:
  catalog:
    runtime: python
    database: catalog
    entities:
      Product:
        name: string
        price: number
        stock: integer
        tags: string[]
        released: date?
    publishes: [ProductChanged]
  shop:
    calls:
      catalog: ['GET /products/{id}', 'POST /products']
    subscribes: [ProductChanged]
  mailer:
    runtime: python
    calls:
      catalog: ['GET /products', 'GET /products/{id}', 'PUT /products/{id}', 'DELETE /products/{id}', 'POST /products']
    subscribes: [ProductChanged]
events:
  ProductChanged: { productId: uuid, price: number, tags: 'string[]' }
`;

describe('contract tests of a Python provider and publisher with a Node.js and a Python consumer', () => {
  let p: Polyglot;

  beforeAll(async () => {
    p = await prepare(await prepareYaml('polyglot', polyglotYaml));
  }, 900_000);

  afterAll(() => cleanUp(p?.system));

  it('catalog (Python) honours the pacts shop (Node.js) and mailer (Python) write: every CRUD call and the event', async () => {
    const ran = await allGreen(p);
    expect(ran.sort()).toEqual(['catalog', 'mailer', 'shop']);
    expect(pactFiles(p.system)).toEqual(['mailer-catalog.json', 'shop-catalog.json']);
    const mailer = JSON.parse(readFileSync(join(p.system.dir, 'contracts', 'pacts', 'mailer-catalog.json'), 'utf8')) as { interactions: { description: string }[]; metadata: { pactSpecification: { version: string } } };
    expect(mailer.metadata.pactSpecification.version).toBe('4.0');
    expect(mailer.interactions.map((i) => i.description).sort()).toEqual([
      'DELETE /products/{id} of an existing Product',
      'GET /products while a Product exists',
      'GET /products/{id} of a missing Product',
      'GET /products/{id} of an existing Product',
      'POST /products with a valid Product',
      'PUT /products/{id} of an existing Product',
      'a ProductChanged event',
    ]);
  }, suiteTimeout);

  it("break: ProductChanged without price, as catalog's code publishes it, fails catalog's verification naming shop and mailer, and its schema test", async () => {
    await writePacts(p);
    const extensions = 'services/catalog/tests/contracts/extensions.py';
    const saved = readFileSync(join(p.system.dir, extensions), 'utf8');
    try {
      edit(p.system, extensions, 'await tx.publish("ProductChanged", event_sample("ProductChanged"))', 'await tx.publish("ProductChanged", {k: v for k, v in event_sample("ProductChanged").items() if k != "price"})');
      const catalog = (await contractSuite(p, 'catalog'))!;
      expect(catalog.ok).toBe(false);
      expect(catalog.output).toContain('catalog does not give its consumers what they expect');
      expect(catalog.output).toMatch(/- shop expects: a ProductChanged event\s+\$\.data Actual map is missing the following keys: price\s+\(contracts\/pacts\/shop-catalog\.json\)/);
      expect(catalog.output).toMatch(/- mailer expects: a ProductChanged event\s+\$\.data Actual map is missing the following keys: price\s+\(contracts\/pacts\/mailer-catalog\.json\)/);
      expect(catalog.output).toMatch(/catalog publishes a ProductChanged event that does not match system.yaml: .*'price' is a required property/);
    } finally {
      writeFileSync(join(p.system.dir, extensions), saved);
    }
  }, suiteTimeout);
});

const stockroomYaml = `
version: 1
name: stockroom
description: A Python provider and publisher whose handler calls a Node.js service
defaults:
  runtime: python
broker: rabbitmq
services:
  catalog:
    runtime: node
    database: catalog
    entities:
      Product: { name: string, price: number }
  stock:
    database: stock
    entities:
      Reservation: { productId: uuid, quantity: integer, unitPrice: number }
    api:
      # Hand-written: prices the reservation with catalog's current price, and publishes StockReserved.
      - POST /reservations
    calls:
      catalog: ['GET /products/{id}']
    publishes: [StockReserved]
  shop:
    database: shop
    calls:
      stock: ['GET /reservations/{id}']
    subscribes: [StockReserved]
events:
  StockReserved: { reservationId: uuid, productId: uuid, quantity: integer, unitPrice: number }
`;

// stock's POST /reservations, as its team writes it: it asks catalog for the price before it reserves.
const postReservations = `"""POST /reservations: holds a quantity of a product at catalog's current price, and says so (StockReserved)."""

from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import ContextDep
from app.core.errors import HttpError
from app.models.reservation import ReservationInput


class ReservationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: UUID = Field(alias="productId")
    quantity: int = Field(ge=1)


async def handle(body: ReservationRequest, ctx: ContextDep) -> JSONResponse:
    product = await ctx.clients.catalog.get_product(body.product_id)
    if product is None:
        raise HttpError(404, f"Product {body.product_id} not found in catalog")
    async with ctx.transaction() as tx:
        reservation = await tx.reservations.create(
            ReservationInput.model_validate({"productId": product.id, "quantity": body.quantity, "unitPrice": product.price})
        )
        await tx.publish(
            "StockReserved",
            {"reservationId": str(reservation.id), "productId": str(product.id), "quantity": body.quantity, "unitPrice": product.price},
        )
    return JSONResponse(reservation.model_dump(mode="json", by_alias=True), status_code=201)
`;

// stock's extensions.py: catalog stood in for, StockReserved published by that handler through the API.
const stockExtensions = (standIns: boolean) => `"""The hand-written part of stock's contract tests."""

from uuid import UUID

import httpx

from app.clients import Clients
from app.clients.catalog import CatalogClient, Product

from .support import Extensions, ServiceUnderTest


class PricedCatalog(CatalogClient):
    """catalog as stock's handlers see it while stock is verified: every product exists, at 12.5."""

    async def get_product(self, id: UUID) -> Product | None:
        return Product(id=id, name="Mug", price=12.5)


async def publish_stock_reserved(service: ServiceUnderTest) -> None:
    async with httpx.AsyncClient(base_url=service.url) as http:
        answer = await http.post("/reservations", json={"productId": "6b1f0c2e-8d4a-4f5b-9c3e-2a7d1e5f8b90", "quantity": 2})
    assert answer.status_code == 201, answer.text


EXTENSIONS = Extensions(
${standIns ? '    clients=lambda: Clients(catalog=PricedCatalog("http://127.0.0.1:9")),\n' : ''}    publishes={"StockReserved": publish_stock_reserved},
)
`;

describe('contract tests of a Python provider whose handler calls another service', () => {
  let p: Polyglot;
  const extensions = 'services/stock/tests/contracts/extensions.py';

  beforeAll(async () => {
    p = await prepare(await prepareYaml('stockroom', stockroomYaml));
    writeFileSync(join(p.system.dir, 'services/stock/app/handlers/post_reservations.py'), postReservations);
  }, 900_000);

  afterAll(() => cleanUp(p?.system));

  it("stock (Python) honours shop's pact, StockReserved as its handler publishes it after asking catalog, stood in by extensions.py's clients", async () => {
    writeFileSync(join(p.system.dir, extensions), stockExtensions(true));
    const ran = await allGreen(p);
    expect(ran.sort()).toEqual(['catalog', 'shop', 'stock']);
    expect(pactFiles(p.system)).toEqual(expectedPacts(p.system));
    const pact = JSON.parse(readFileSync(join(p.system.dir, 'contracts', 'pacts', 'shop-stock.json'), 'utf8')) as { interactions: { description: string }[] };
    expect(pact.interactions.map((i) => i.description)).toContain('a StockReserved event');
  }, suiteTimeout);

  it('without stand-ins its handler gets a port nothing listens on for catalog, and the verification says catalog is unavailable', async () => {
    await writePacts(p);
    writeFileSync(join(p.system.dir, extensions), stockExtensions(false));
    try {
      const stock = (await contractSuite(p, 'stock'))!;
      expect(stock.ok).toBe(false);
      expect(stock.output).toContain('catalog is unavailable');
    } finally {
      writeFileSync(join(p.system.dir, extensions), stockExtensions(true));
    }
  }, suiteTimeout);
});
