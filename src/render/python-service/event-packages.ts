import { pythonGroups } from '../python/versions.js';
import type { PythonBroker } from './events.js';

/**
 * Exact versions of what the broker adapter of a Python service installs, by
 * broker: the complete set `pip freeze` shows after installing the first
 * package named on Python 3.11 (besides what the service itself already
 * pins). Bumped deliberately, with the cross-runtime event tests run against
 * the new set.
 */
export const pythonEventPackages: Record<PythonBroker, Readonly<Record<string, string>>> = {
  // aio-pika: asyncio AMQP 0-9-1 with publisher confirms and a reconnecting ("robust") connection
  rabbitmq: {
    'aio-pika': '10.2.1',
    aiormq: '7.2.4',
    idna: '3.20',
    multidict: '7.2.1',
    pamqp: '4.0.1',
    propcache: '0.5.4',
    yarl: '1.25.1',
  },
  // nats-py: the NATS client with JetStream (pull consumers, publish acks)
  nats: {
    'nats-py': '2.16.0',
  },
};

/** `name==version` lines of the event layer on `broker`: its adapter's packages and jsonschema (payloads are checked against their schemas). */
export function pythonEventRequirements(broker: PythonBroker): string[] {
  return Object.entries({ ...pythonEventPackages[broker], ...pythonGroups.schemas }).map(([name, version]) => `${name}==${version}`);
}
