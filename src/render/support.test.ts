import { describe, expect, it } from 'vitest';
import { exampleYaml, modelOf } from '../../test/support/render/render.js';
import { servicesWithoutCode, unsupportedFeatures } from './support.js';
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

describe('unsupportedFeatures: a Python service with events on a broker its event layer does not speak', () => {
  const system = (broker: string, notification: string) =>
    `version: 1\nname: s\nbroker: ${broker}\ndefaults:\n  runtime: node\nservices:\n  task:\n    database: tasks\n    publishes: [TaskCreated]\n  notification:\n${notification}\nevents:\n  TaskCreated: { taskId: uuid }\n`;
  const subscriber = '    runtime: python\n    database: none\n    subscribes: [TaskCreated]';

  it('is an error at the service’s runtime, saying what it speaks and what to change', () => {
    const [error, ...more] = unsupportedFeatures(modelOf(system('kafka', subscriber)));
    expect(more).toEqual([]);
    expect(error).toMatchObject({ file: 'system.yaml', line: 11, column: 14 });
    expect(error!.message).toBe("service 'notification' subscribes to events, but the event layer of a Python service speaks RabbitMQ and NATS JetStream, not Kafka (broker: kafka)");
    expect(error!.hint).toBe("use `runtime: node` for 'notification', whose Node.js event layer speaks Kafka, or `broker: rabbitmq` or `broker: nats` for the whole system");
  });

  it('names a publisher as one, and points at defaults.runtime when the runtime comes from there', () => {
    const yaml = system('kafka', '    database: none\n    subscribes: [TaskCreated]').replace('runtime: node', 'runtime: python');
    expect(unsupportedFeatures(modelOf(yaml)).map((d) => [d.line, d.column, d.message.split(',')[0]])).toEqual([
      [5, 12, "service 'task' publishes events"],
      [5, 12, "service 'notification' subscribes to events"],
    ]);
  });

  it.each([
    ['rabbitmq', subscriber],
    ['nats', subscriber],
    ['kafka', '    runtime: python\n    database: none'],
    ['kafka', '    runtime: node\n    database: none\n    subscribes: [TaskCreated]'],
  ])('is nothing on %s for %j', (broker, notification) => {
    expect(unsupportedFeatures(modelOf(system(broker, notification)))).toEqual([]);
  });
});
