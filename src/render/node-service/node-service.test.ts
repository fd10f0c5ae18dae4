import { validate } from '@readme/openapi-parser';
import fc from 'fast-check';
import { parse, parseDocument, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exampleNames, exampleYaml, modelOf, renderYaml } from '../../../test/support/render/render.js';
import { openapiDocument } from '../service/openapi.js';
import nodeService from './index.js';
import { tsLiteral } from './literal.js';

// What is checked here is the rendering; the generated code itself is compiled,
// run and driven against real PostgreSQL and brokers by test/ecommerce.e2e.test.ts
// and test/checkout.e2e.test.ts.

describe('tsLiteral', () => {
  it('prints any JSON value as a TypeScript literal that evaluates back to it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const normalized = JSON.parse(JSON.stringify(value)) as unknown;
        expect(new Function(`return (${tsLiteral(normalized)});`)()).toEqual(normalized);
      }),
      { numRuns: 300 },
    );
  });
});

describe('node services', () => {
  it.each(exampleNames)('%s: every Node.js service has a valid OpenAPI 3.1 document, in openapi.yaml and served', async (name) => {
    const model = modelOf(exampleYaml(name));
    const files = new Map(renderYaml(exampleYaml(name), [nodeService]).files().map((f) => [f.path, f]));
    for (const service of model.services.filter((s) => s.runtime === 'node')) {
      const document = openapiDocument(model.name, service);
      await expect(validate(structuredClone(document) as never)).resolves.toMatchObject({ valid: true });
      const yaml = files.get(`services/${service.name}/openapi.yaml`)!.content;
      expect(parse(yaml)).toEqual(document);
      // Every reader sees the same document: no anchors or aliases, reuse goes through $ref only.
      const aliases: string[] = [];
      visit(parseDocument(yaml), { Alias: (_, node) => void aliases.push(node.source), Node: (_, node) => void (node.anchor && aliases.push(`&${node.anchor}`)) });
      expect(aliases).toEqual([]);
      expect(yaml).toContain('$ref: "#/components/responses/BadRequest"');
      expect(files.get(`services/${service.name}/src/openapi.ts`)!.content).toContain('export const openapi = {');
      const paths = Object.keys(document['paths'] as object);
      for (const entity of service.entities) expect(paths).toContain(`/${entity.resource}/{id}`);
      for (const endpoint of service.api) expect(paths).toContain(endpoint.path);
    }
  });

  it('names every CRUD operation in plain English, whatever the entity is called', () => {
    const model = modelOf(exampleYaml('ecommerce'));
    const user = model.services.find((s) => s.name === 'user')!;
    const paths = openapiDocument(model.name, user)['paths'] as Record<string, Record<string, { summary: string }>>;
    expect(paths['/addresses/{id}']!['put']!.summary).toBe('Replace the Address with this id');
    expect(paths['/addresses']!['post']!.summary).toBe('Create one Address');
    const summaries = Object.values(paths).flatMap((ops) => Object.values(ops).map((op) => op.summary));
    expect(summaries.filter((s) => /\ba [AEIOU]/.test(s))).toEqual([]);
  });

  it.each(exampleNames)('%s: every Node.js service runs its user-owned start-up hook after the migrations and before it listens', (name) => {
    const model = modelOf(exampleYaml(name));
    const files = new Map(renderYaml(exampleYaml(name), [nodeService]).files().map((f) => [f.path, f]));
    for (const service of model.services.filter((s) => s.runtime === 'node')) {
      const hook = files.get(`services/${service.name}/src/handlers/on-start.ts`)!;
      expect(hook.owner).toBe('user');
      expect(hook.content).toContain('export async function onStart(_ctx: Context): Promise<void> {}');
      const main = files.get(`services/${service.name}/src/main.ts`)!.content;
      expect(main).toContain(`import { onStart } from './handlers/on-start.js';`);
      const [migrated, hooked, listening] = ['await migrate(db);', 'await onStart(ctx);', 'await app.listen('].map((line) => main.indexOf(line));
      expect(migrated, service.name).toBeGreaterThan(0);
      expect(hooked, service.name).toBeGreaterThan(migrated!);
      expect(listening, service.name).toBeGreaterThan(hooked!);
    }
  });

  it('gives each declared endpoint and consumed event a user-owned handler, and overrides the CRUD route it replaces', () => {
    const files = new Map(renderYaml(exampleYaml('ecommerce'), [nodeService]).files().map((f) => [f.path, f]));
    const handlers = [...files.values()].filter((f) => f.path.startsWith('services/order/src/handlers/'));
    expect(handlers.map((f) => [f.path, f.owner]).sort()).toEqual([
      ['services/order/src/handlers/on-start.ts', 'user'],
      ['services/order/src/handlers/post-orders-by-id-cancel.ts', 'user'],
      ['services/order/src/handlers/post-orders.ts', 'user'],
    ]);
    expect(files.get('services/product/src/handlers/on-order-created.ts')!.owner).toBe('user');
    const orderRoutes = files.get('services/order/src/routes/order.ts')!.content;
    expect(orderRoutes).not.toContain(`app.post<`);
    expect(orderRoutes).toContain(`app.get<{ Params: IdParams }>('/orders/:id'`);
    expect(files.get('services/order/src/routes/api.ts')!.content).toContain(`app.post('/orders', serve(postOrders, ctx));`);
    // Everything else is the generator's, and carries the header.
    for (const file of files.values()) {
      if (file.owner === 'generator' && !file.path.endsWith('.json')) expect(file.content, file.path).toMatch(/Generated by taskflow-gen/);
    }
  });

  it('renders only the adapter of the system broker, and a workspace over every Node.js folder', () => {
    for (const broker of ['rabbitmq', 'nats', 'kafka'] as const) {
      const files = renderYaml(exampleYaml('ecommerce').replace('broker: rabbitmq', `broker: ${broker}`), [nodeService]).files();
      const adapters = files.filter((f) => /^services\/order\/src\/events\/(rabbitmq|nats|kafka)\.ts$/.test(f.path)).map((f) => f.path);
      expect(adapters).toEqual([`services/order/src/events/${broker}.ts`]);
    }
    const root = renderYaml(exampleYaml('ecommerce'), [nodeService]).files().find((f) => f.path === 'package.json')!;
    expect(JSON.parse(root.content).workspaces).toEqual(['services/user', 'services/product', 'services/order', 'services/search', 'gateway']);
  });
});
