import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'no-resilience',
    description: 'A sync call without a circuit breaker, or with a timeout too long to protect the caller.',
    rationale:
      'A synchronous call ties the caller\'s availability to the callee\'s. Without a circuit breaker a failing callee is hammered by every request and retry while the caller\'s threads and connections pile up waiting; with a very long timeout the caller hangs just as long before it can degrade gracefully. Either way one slow service takes its callers down with it. Keep the generated circuit breaker on and timeouts short, and prefer an event where the caller need not wait.',
    defaultSeverity: 'warn',
    defaultOptions: { maxTimeoutMs: 10_000 },
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxTimeoutMs: { type: 'integer', minimum: 1, description: 'Longest acceptable timeout of one sync call attempt, in milliseconds.' },
      },
    },
    messages: {
      noBreaker: "the call from '{{caller}}' to '{{callee}}' has no circuit breaker; remove circuitBreaker: false",
      longTimeout: "the call from '{{caller}}' to '{{callee}}' waits up to {{timeoutMs}} ms (max {{maxTimeoutMs}}); shorten timeoutMs",
    },
  },
  check({ model, options, report }) {
    for (const service of model.services) {
      for (const call of service.calls) {
        // Most calls are fine: what a finding needs is only built for one that is not.
        const noBreaker = call.circuitBreaker === false;
        const longTimeout = call.timeoutMs > options.maxTimeoutMs;
        if (!noBreaker && !longTimeout) continue;
        const found = {
          services: [call.caller, call.callee],
          owner: call.caller,
          loc: call.loc,
          edges: [{ from: call.caller, to: call.callee, kind: 'sync' as const }],
        };
        const names = { caller: call.caller, callee: call.callee };
        if (noBreaker) report({ messageId: 'noBreaker', data: names, ...found });
        if (longTimeout) {
          report({ messageId: 'longTimeout', data: { ...names, timeoutMs: call.timeoutMs, maxTimeoutMs: options.maxTimeoutMs }, ...found });
        }
      }
    }
  },
});
