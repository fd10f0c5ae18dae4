import type { AnyRule } from './rule.js';

const severityRef = { $ref: '#/definitions/severity' };

/**
 * The `lint.rules` part of system.schema.json, built from the registry so
 * editors offer every rule id with its description and option defaults. A
 * test fails when the schema file and this drift apart; `npm run schema`
 * rewrites the file.
 */
export function lintRulesSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const { meta } of rules) {
    const optionProperties = (meta.optionsSchema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
    const withDefaults = Object.fromEntries(
      Object.entries(optionProperties).map(([name, schema]) => [name, { ...schema, default: (meta.defaultOptions as Record<string, unknown>)[name] }]),
    );
    properties[meta.id] = {
      description: `${meta.description} Default: ${meta.defaultSeverity}.`,
      anyOf: [
        severityRef,
        {
          type: 'array',
          minItems: 1,
          maxItems: 2,
          items: [severityRef, { ...meta.optionsSchema, properties: withDefaults }],
          additionalItems: false,
        },
      ],
    };
  }
  return {
    description: 'Rule id -> severity (`off`, `info`, `warn`, `error`) or `[severity, { options }]`.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}

/** The rule ids, for `services.*.lint.ignore[].rule`. */
export function ruleIdSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  return { description: 'A lint rule id; see the rule table in the README.', enum: rules.map((r) => r.meta.id) };
}
