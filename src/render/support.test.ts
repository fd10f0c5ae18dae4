import { describe, expect, it } from 'vitest';
import { exampleYaml, modelOf } from '../../test/support/render/render.js';
import { servicesWithoutCode } from './support.js';
import { codeRuntimes, targets } from './targets.js';

const lineOf = (yaml: string, text: string): number => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('servicesWithoutCode: a service whose runtime no target generates', () => {
  const taskflow = exampleYaml('taskflow');

  it('is a warning at the service’s runtime, naming the folder compose and k8s expect', () => {
    const [warning, ...more] = servicesWithoutCode(modelOf(taskflow), new Set(['node']));
    expect(more).toEqual([]);
    expect(warning).toMatchObject({ file: 'system.yaml', line: lineOf(taskflow, 'runtime: python'), column: taskflow.split('\n')[lineOf(taskflow, 'runtime: python') - 1]!.indexOf('python') + 1 });
    expect(warning!.message).toContain("service 'notification': no code is generated for runtime 'python' yet, so services/notification/ is not written");
    expect(warning!.hint).toContain('runtime: node');
  });

  it('is positioned at defaults.runtime when the runtime comes from there, else at the service', () => {
    const yaml = 'version: 1\nname: s\ndefaults:\n  runtime: python\nservices:\n  a: { database: none }\n  b: { runtime: node, database: none }\n';
    expect(servicesWithoutCode(modelOf(yaml), new Set(['node'])).map((d) => [d.line, d.column, d.message.slice(0, 13)])).toEqual([[4, 12, "service 'a': "]]);
  });

  it('goes away by itself once a target for the runtime is registered', () => {
    expect(servicesWithoutCode(modelOf(taskflow), new Set(['node', 'python']))).toEqual([]);
  });

  it('takes the generated runtimes from the registered targets', () => {
    expect(codeRuntimes.has('node')).toBe(true);
    expect([...codeRuntimes].sort()).toEqual(targets.flatMap((t) => (t.runtime ? [t.runtime] : [])).sort());
    expect(targets.find((t) => t.name === 'node-service')?.runtime).toBe('node');
  });
});
