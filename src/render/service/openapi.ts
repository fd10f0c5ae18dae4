import { endpointKey } from '../../model/normalize.js';
import type { HttpMethod, Service } from '../../model/types.js';
import { inputSchemaOf, schemaOf } from './entities.js';
import { uuidSchema } from './fields.js';
import { camel, isIdParam, operationName, pathParams } from './names.js';

type Operation = Record<string, unknown>;

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} },
};
const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const answer = (description: string, schema?: unknown) => ({ description, ...(schema !== undefined && { content: json(schema) }) });
const errors = { '400': responseRef('BadRequest'), '503': responseRef('Unavailable') };

/** Answers every operation may give, written once and referenced: the document has no YAML aliases, only `$ref`. */
const sharedResponses = {
  BadRequest: answer('Invalid request: what was wrong is in `message` and `details`', schemaRef('Error')),
  NotFound: answer('No record has this id', schemaRef('Error')),
  Unavailable: answer('The service is shutting down, or a service it depends on is unavailable', schemaRef('Error')),
};

/** What GET /ready answers, ready or not: each dependency's state. */
const readinessSchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not ready'] },
    checks: { type: 'object', additionalProperties: { type: 'string', enum: ['ok', 'unavailable'] } },
  },
};

/** The OpenAPI 3.1 document of a service: its CRUD, its declared endpoints and the operational ones. */
export function openapiDocument(system: string, service: Service): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  const add = (method: string, path: string, operation: Operation) => {
    const params = pathParams(path).map((name) => ({ name, in: 'path', required: true, schema: isIdParam(name) ? uuidSchema : { type: 'string' } }));
    (paths[path] ??= {})[method.toLowerCase()] = { ...operation, ...(params.length > 0 && { parameters: params }) };
  };
  const declared = new Set([...service.overrides, ...service.api].map(endpointKey));
  const crud = new Set(service.crud.map(endpointKey));
  for (const entity of service.entities) {
    const collection = `/${entity.resource}`;
    const item = `${collection}/{id}`;
    const tag = { tags: [entity.name] };
    const body = { requestBody: { required: true, content: json(schemaRef(`${entity.name}Input`)) } };
    const notFound = { '404': responseRef('NotFound') };
    const generated: [HttpMethod, string, Operation][] = [
      ['POST', collection, { summary: `Create one ${entity.name}`, ...body, responses: { '201': answer('Created', schemaRef(entity.name)), ...errors } }],
      ['GET', collection, { summary: `List ${entity.name} records in creation order`, parameters: pageParameters, responses: { '200': answer('A page', { type: 'array', items: schemaRef(entity.name) }), ...errors } }],
      ['GET', item, { summary: `Get the ${entity.name} with this id`, responses: { '200': answer('Found', schemaRef(entity.name)), ...notFound, ...errors } }],
      ['PUT', item, { summary: `Replace the ${entity.name} with this id`, ...body, responses: { '200': answer('Replaced', schemaRef(entity.name)), ...notFound, ...errors } }],
      ['DELETE', item, { summary: `Delete the ${entity.name} with this id`, responses: { '204': answer('Deleted'), ...notFound, ...errors } }],
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
  const operations = { tags: ['operations'] };
  add('GET', '/health', { summary: 'The process is alive', ...operations, responses: { '200': answer('Alive', { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } }) } });
  add('GET', '/ready', {
    summary: 'Its database and broker answer',
    ...operations,
    responses: { '200': answer('Ready: every dependency answers', schemaRef('Readiness')), '503': answer('Not ready: the checks say which dependency does not answer', schemaRef('Readiness')) },
  });
  add('GET', '/metrics', {
    summary: 'Prometheus metrics',
    ...operations,
    responses: { '200': { description: 'Metrics in the Prometheus text format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } } },
  });
  add('GET', '/openapi.json', {
    summary: 'This document',
    ...operations,
    responses: { '200': answer('This OpenAPI 3.1 document', { type: 'object', required: ['openapi', 'info', 'paths'], properties: { openapi: { const: '3.1.0' } } }) },
  });
  const schemas: Record<string, unknown> = { Error: errorSchema, Readiness: readinessSchema };
  for (const entity of service.entities) {
    schemas[entity.name] = schemaOf(entity);
    schemas[`${entity.name}Input`] = inputSchemaOf(entity);
  }
  return {
    openapi: '3.1.0',
    info: { title: `${system} ${service.name}`, version: '0.1.0', ...(service.description !== undefined && { description: service.description }) },
    servers: [{ url: `http://localhost:${service.port}` }],
    paths,
    components: { schemas, responses: sharedResponses },
  };
}

const pageParameters = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 2147483647, default: 0 } },
];
