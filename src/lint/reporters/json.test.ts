import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Finding } from '../rule.js';
import { jsonReporter } from './json.js';

const context = { file: 'system.yaml', rules: [], toolVersion: '0.0.0', paint: { red: String, yellow: String, blue: String, dim: String, bold: String, underline: String } };

const finding: fc.Arbitrary<Finding> = fc.record({
  ruleId: fc.string(),
  severity: fc.constantFrom('error', 'warn', 'info'),
  message: fc.string({ unit: 'grapheme' }),
  services: fc.array(fc.string({ unit: 'binary' }), { maxLength: 30 }),
  line: fc.nat(),
  column: fc.nat(),
  edges: fc.constant([]),
});

it('writes, in pieces, exactly what JSON.stringify indented by two writes', () => {
  fc.assert(
    fc.property(fc.array(finding, { maxLength: 8 }), fc.nat(), fc.nat(), (findings, errorCount, warningCount) => {
      const pieces = [...jsonReporter({ findings, errorCount, warningCount, infoCount: 0 }, context)];
      const shape = findings.map(({ ruleId, severity, message, services, line, column }) => ({ ruleId, severity, message, services, line, column }));
      expect(pieces.join('')).toBe(JSON.stringify({ findings: shape, errorCount, warningCount }, null, 2) + '\n');
      expect(pieces.length).toBe(findings.length + (findings.length > 0 ? 3 : 2));
    }),
  );
});
