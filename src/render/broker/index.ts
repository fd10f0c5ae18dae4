import { runtimeView } from '../runtime-view.js';
import type { Target } from '../target.js';
import { kafkaReadme, kafkaView, natsConsumerConfigs, natsConsumerPath, natsReadme, natsStreamConfig, rabbitDefinitions, rabbitReadme } from './view.js';

/** JSON has one canonical printing, so JSON files are the view itself, not a template. */
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * broker/: what the broker must hold before the services use it, in the
 * broker's own format, plus a README saying how to load it. Nothing for
 * `broker: none`.
 */
const target: Target = {
  name: 'broker',
  render({ model, templates }, tree) {
    const broker = runtimeView(model).broker;
    if (!broker) return;
    switch (broker.kind) {
      case 'rabbitmq':
        tree.generated('broker/definitions.json', json(rabbitDefinitions(model)));
        tree.generated('broker/README.md', templates.render('broker/README.rabbitmq.md', rabbitReadme(model, broker)));
        return;
      case 'nats':
        tree.generated('broker/nats/stream.json', json(natsStreamConfig(model)));
        for (const consumer of natsConsumerConfigs(model)) tree.generated(natsConsumerPath(consumer.durable_name), json(consumer));
        tree.generated('broker/README.md', templates.render('broker/README.nats.md', natsReadme(model, broker)));
        return;
      case 'kafka':
        tree.generated('broker/topics.yaml', templates.render('broker/topics.yaml', kafkaView(model)));
        tree.generated('broker/README.md', templates.render('broker/README.kafka.md', kafkaReadme(model, broker)));
        return;
    }
  },
};

export default target;
