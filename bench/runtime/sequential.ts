import { Agent, request } from 'node:http';

export interface Target {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Latencies (ms) of GET requests sent one at a time, alternating between
 * targets (in ABBA order, so neither always goes first), each over its own
 * single keep-alive connection, for `seconds`. Alternating makes both series
 * see the same machine: a burst of other work slows both, not only one.
 */
export async function alternating(targets: readonly Target[], seconds: number): Promise<number[][]> {
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const latencies = targets.map((): number[] => []);
  try {
    const deadline = performance.now() + seconds * 1000;
    for (let round = 0; performance.now() < deadline; round++) {
      const order = round % 2 === 0 ? targets.map((_, i) => i) : targets.map((_, i) => targets.length - 1 - i);
      for (const i of order) latencies[i]!.push(await get(targets[i]!, agents[i]!));
    }
    return latencies;
  } finally {
    for (const agent of agents) agent.destroy();
  }
}

/** One GET, timed from the call to the last byte of the body; anything but 200 stops the run. */
function get(target: Target, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request(target.url, { agent, headers: target.headers }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => {
        if (response.statusCode === 200) resolve(performance.now() - started);
        else reject(new Error(`GET ${target.url} answered ${response.statusCode}`));
      });
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
