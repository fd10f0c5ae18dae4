import type { Reporter } from './reporter.js';

const level = { error: 'error', warn: 'warning', info: 'note' } as const;

/** SARIF 2.1.0, for code-scanning UIs: rule metadata in the driver, each finding located in system.yaml. */
export const sarifReporter: Reporter = (result, { file, rules, toolVersion }) => {
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const uri = file.split('\\').join('/');
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'taskflow-gen',
            version: toolVersion,
            informationUri: 'https://www.npmjs.com/package/taskflow-gen',
            rules: rules.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              fullDescription: { text: rule.rationale },
              help: { text: rule.rationale },
              defaultConfiguration: { level: level[rule.defaultSeverity] },
            })),
          },
        },
        artifacts: [{ location: { uri } }],
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ...(index.has(f.ruleId) && { ruleIndex: index.get(f.ruleId) }),
          level: level[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri, index: 0 },
                region: { startLine: f.line, startColumn: f.column },
              },
            },
          ],
          properties: { services: f.services },
        })),
      },
    ],
  };
  return [JSON.stringify(log, null, 2) + '\n'];
};
