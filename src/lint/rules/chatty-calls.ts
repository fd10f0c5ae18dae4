import { endpointKey } from '../../model/normalize.js';
import { defineRule } from '../rule.js';

/** Flags a caller that uses more than `max` distinct endpoints of one callee. */
export default defineRule({
  meta: {
    id: 'chatty-calls',
    description: 'One service calling many different endpoints of another.',
    rationale:
      'A caller that needs many different endpoints of one callee knows that service intimately: it depends on the callee\'s internal model rather than on one coarse operation, every request pays several network round trips, and the two services change together. The boundary between them is probably in the wrong place. Offer one coarser endpoint for what the caller needs, move the behaviour next to the data it uses, or merge the two services.',
    defaultSeverity: 'warn',
    defaultOptions: { max: 4 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max: { type: 'integer', minimum: 1, description: 'Most distinct endpoints one service may call on another.' },
      },
    },
    messages: {
      chatty: "'{{caller}}' calls {{count}} different endpoints of '{{callee}}' (more than {{max}}); the boundary between them may be in the wrong place",
    },
  },
  check({ model, options, report }) {
    for (const service of model.services) {
      for (const call of service.calls) {
        // `GET /a/{id}` and `GET /a/{key}` are one endpoint: there are at most as many as listed.
        if (call.endpoints.length <= options.max) continue;
        const count = new Set(call.endpoints.map((e) => endpointKey(e))).size;
        if (count <= options.max) continue;
        report({
          messageId: 'chatty',
          data: { caller: call.caller, callee: call.callee, count, max: options.max },
          services: [call.caller, call.callee],
          owner: call.caller,
          loc: call.loc,
          edges: [{ from: call.caller, to: call.callee, kind: 'sync' }],
        });
      }
    }
  },
});
