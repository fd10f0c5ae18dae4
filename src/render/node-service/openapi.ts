import { endpointKey } from '../../model/normalize.js';
import type { HttpMethod, Service } from '../../model/types.js';
import { inputSchemaOf, schemaOf } from './entities.js';
import { operationName, camel, pathParams } from './names.js';

type Operation = Record<string, unknown>;

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} },
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const answer = (description: string, schema?: unknown) => ({ description, ...(schema !== undefined && { content: json(schema) }) });
const errors = { '400': answer('Invalid request', ref('Error')), '503': answer('A service it depends on is unavailable', ref('Error')) };

/** The OpenAPI 3.1 document of a service: its CRUD, its declared endpoints and the operational ones. */
export function openapiDocument(system: string, service: Service): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  const add = (method: string, path: string, operation: Operation) => {
    const params = pathParams(path).map((name) => ({ name, in: 'path', required: true, schema: name === 'id' ? { type: 'string', format: 'uuid' } : { type: 'string' } }));
    (paths[path] ??= {})[method.toLowerCase()] = { ...operation, ...(params.length > 0 && { parameters: params }) };
  };
  const declared = new Set([...service.overrides, ...service.api].map(endpointKey));
  const crud = new Set(service.crud.map(endpointKey));
  for (const entity of service.entities) {
    const collection = `/${entity.resource}`;
    const item = `${collection}/{id}`;
    const tag = { tags: [entity.name] };
    const body = { requestBody: { required: true, content: json(ref(`${entity.name}Input`)) } };
    const notFound = { '404': answer('Not found', ref('Error')) };
    const generated: [HttpMethod, string, Operation][] = [
      ['POST', collection, { summary: `Create a ${entity.name}`, ...body, responses: { '201': answer('Created', ref(entity.name)), ...errors } }],
      ['GET', collection, { summary: `List ${entity.name} records in creation order`, parameters: pageParameters, responses: { '200': answer('A page', { type: 'array', items: ref(entity.name) }), ...errors } }],
      ['GET', item, { summary: `Get a ${entity.name}`, responses: { '200': answer('Found', ref(entity.name)), ...notFound, ...errors } }],
      ['PUT', item, { summary: `Replace a ${entity.name}`, ...body, responses: { '200': answer('Replaced', ref(entity.name)), ...notFound, ...errors } }],
      ['DELETE', item, { summary: `Delete a ${entity.name}`, responses: { '204': answer('Deleted'), ...notFound, ...errors } }],
    ];
    for (const [method, path, operation] of generated) {
      if (declared.has(endpointKey({ method, path }))) continue;
      add(method, path, { operationId: camel(operationName({ method, path })), ...tag, ...operation });
    }
  }
  for (const endpoint of [...service.overrides, ...service.api]) {
    const hasBody = endpoint.method === 'POST' || endpoint.method === 'PUT' || endpoint.method === 'PATCH';
    add(endpoint.method, endpoint.path, {
      operationId: camel(operationName(endpoint)),
      summary: `${endpoint.text} (hand-written handler)`,
      ...(crud.has(endpointKey(endpoint)) && { description: 'Declared in system.yaml, so a hand-written handler serves it instead of the generated CRUD.' }),
      ...(hasBody && { requestBody: { content: json({}) } }),
      responses: { default: answer('As the handler answers', {}) },
    });
  }
  add('GET', '/health', { summary: 'The process is alive', tags: ['operations'], responses: { '200': answer('Alive') } });
  add('GET', '/ready', { summary: 'Its database and broker answer', tags: ['operations'], responses: { '200': answer('Ready'), '503': answer('Not ready') } });
  add('GET', '/metrics', { summary: 'Prometheus metrics', tags: ['operations'], responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } } });
  add('GET', '/openapi.json', { summary: 'This document', tags: ['operations'], responses: { '200': answer('OpenAPI 3.1') } });
  const schemas: Record<string, unknown> = { Error: errorSchema };
  for (const entity of service.entities) {
    schemas[entity.name] = schemaOf(entity);
    schemas[`${entity.name}Input`] = inputSchemaOf(entity);
  }
  return {
    openapi: '3.1.0',
    info: { title: `${system} ${service.name}`, version: '0.1.0', ...(service.description !== undefined && { description: service.description }) },
    servers: [{ url: `http://localhost:${service.port}` }],
    paths,
    components: { schemas },
  };
}

const pageParameters = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
];
