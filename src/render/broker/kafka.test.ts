import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { SystemModel } from '../../model/types.js';
import { kafkaNames } from './naming.js';
import { edgeYaml, fileOf, renderEvents, systemsWith, withBroker } from '../../../test/support/render/broker/systems.js';

/** topics.yaml as read back. */
interface TopicsFile {
  topics: { name: string; event: string; partitions: number; replicationFactor: number; config: Record<string, unknown>; producers: string[]; consumerGroups: string[] }[];
  consumerGroups: { name: string; service: string; topics: string[] }[];
}

// No Kafka runs here, so topics.yaml is checked against Kafka's own rules instead of a broker.
const legalTopic = /^[a-zA-Z0-9._-]{1,249}$/;
const topicConfigs: Record<string, (value: string) => boolean> = {
  'cleanup.policy': (v) => ['delete', 'compact', 'delete,compact', 'compact,delete'].includes(v),
  'retention.ms': (v) => /^(-1|\d+)$/.test(v),
};

/** What Kafka or the services would trip over in topics.yaml; empty when sound. */
function topicProblems(file: TopicsFile, model: SystemModel): string[] {
  const problems: string[] = [];
  const topics = new Set(file.topics.map((t) => t.name));
  // Kafka refuses topics that differ only in '.' versus '_' (their metric names collide).
  const collisions = new Set(file.topics.map((t) => t.name.replaceAll('.', '_')));
  if (collisions.size !== file.topics.length) problems.push('topics collide once . and _ are confused');
  for (const t of file.topics) {
    if (!legalTopic.test(t.name) || t.name === '.' || t.name === '..') problems.push(`illegal topic name ${t.name}`);
    if (!Number.isInteger(t.partitions) || t.partitions < 1) problems.push(`${t.name}: partitions ${t.partitions}`);
    if (!Number.isInteger(t.replicationFactor) || t.replicationFactor < 1) problems.push(`${t.name}: replication factor ${t.replicationFactor}`);
    for (const [key, value] of Object.entries(t.config)) {
      const valid = topicConfigs[key];
      if (!valid) problems.push(`${t.name}: unknown config ${key}`);
      else if (typeof value !== 'string' || !valid(value)) problems.push(`${t.name}: ${key}=${String(value)}`);
    }
    if (!('cleanup.policy' in t.config)) problems.push(`${t.name}: no cleanup.policy`);
  }
  for (const event of model.events) {
    const name = kafkaNames(model.name, '', event.name).topic;
    const topic = file.topics.find((t) => t.name === name);
    if (!topic) problems.push(`no topic for ${event.name}`);
    else if (topic.consumerGroups.join() !== event.subscribers.map((s) => kafkaNames(model.name, s, event.name).group).join()) problems.push(`${name}: wrong consumer groups`);
  }
  if (file.topics.length !== model.events.length) problems.push(`${file.topics.length} topics for ${model.events.length} events`);
  for (const service of model.services) {
    const groups = file.consumerGroups.filter((g) => g.service === service.name);
    const expected = service.subscribes.map((ref) => kafkaNames(model.name, service.name, ref.event).topic);
    if (expected.length === 0 && groups.length > 0) problems.push(`${service.name} subscribes to nothing but has a group`);
    if (expected.length > 0 && (groups.length !== 1 || groups[0]!.name !== kafkaNames(model.name, service.name, '').group || groups[0]!.topics.join() !== expected.join())) {
      problems.push(`${service.name}: not exactly one group over ${expected.join(', ')}`);
    }
  }
  for (const g of file.consumerGroups) for (const t of g.topics) if (!topics.has(t)) problems.push(`group ${g.name} reads missing topic ${t}`);
  return problems;
}

const systems = systemsWith('kafka');
const topicsOf = (yaml: string): TopicsFile => load(fileOf(renderEvents(yaml), 'broker/topics.yaml')) as TopicsFile;

describe('broker/topics.yaml', () => {
  it.each(systems)('$label: one legal topic per event, one consumer group per subscribing service', ({ yaml, model }) => {
    expect(topicProblems(topicsOf(yaml), model)).toEqual([]);
  });

  it('names topics <system>.<Event> and groups <system>.<service>, with the settings of the single-broker deployment', () => {
    expect(kafkaNames('edge-case', 'billing', 'OrderPlaced')).toEqual({ topic: 'edge-case.OrderPlaced', group: 'edge-case.billing' });
    const file = topicsOf(withBroker(edgeYaml, 'kafka'));
    expect(file.topics[0]).toEqual({
      name: 'edge-case.OrderPlaced',
      event: 'OrderPlaced',
      partitions: 3,
      replicationFactor: 1,
      config: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' },
      producers: ['order-service'],
      consumerGroups: ['edge-case.order-service', 'edge-case.billing', 'edge-case.stock'],
    });
    expect(file.consumerGroups.find((g) => g.service === 'billing')).toEqual({ name: 'edge-case.billing', service: 'billing', topics: ['edge-case.OrderPlaced', 'edge-case.On', 'edge-case.Ghost'] });
    expect(file.consumerGroups.some((g) => g.service === 'notes')).toBe(false);
  });

  it('the check fails on a broken topics file', () => {
    const { yaml, model } = systems.find((s) => s.label.startsWith('checkout'))!;
    const broken = (change: (f: TopicsFile) => void): string[] => {
      const file = topicsOf(yaml);
      change(file);
      return topicProblems(file, model);
    };
    expect(broken((f) => (f.topics[0]!.name = 'checkout/CartCheckedOut'))).toContain('illegal topic name checkout/CartCheckedOut');
    expect(broken((f) => (f.topics[0]!.config['cleanup.policy'] = 'forever'))).toContain('checkout.CartCheckedOut: cleanup.policy=forever');
    expect(broken((f) => (f.topics[0]!.partitions = 0))).toContain('checkout.CartCheckedOut: partitions 0');
    expect(broken((f) => f.topics.pop())).toContain('no topic for OrderCancelled');
    expect(broken((f) => f.consumerGroups.pop())).toContain('inventory: not exactly one group over checkout.OrderPlaced, checkout.OrderCancelled');
  });

  it('README gives the kafka-topics.sh command of every topic', () => {
    const readme = fileOf(renderEvents(withBroker(edgeYaml, 'kafka')), 'broker/README.md');
    for (const event of ['OrderPlaced', 'On', 'Audited', 'Ghost']) {
      expect(readme).toContain(
        `kafka-topics.sh --bootstrap-server broker:9092 --create --if-not-exists --topic edge-case.${event} --partitions 3 --replication-factor 1 --config cleanup.policy=delete --config retention.ms=604800000`,
      );
    }
  });

  it('a system without events gets empty lists', () => {
    const file = topicsOf(withBroker(systems.find((s) => s.label.startsWith('quiet'))!.yaml, 'kafka'));
    expect(file).toEqual({ topics: [], consumerGroups: [] });
  });
});
