import pg from 'pg';

const channel = 'bench_event_applied';

/** The moment the 201 of a request that published an event reached the client (performance.now()), and the id the event's data carries. */
export interface Placed {
  readonly id: string;
  readonly at: number;
}

export interface DelayRun {
  readonly orders: number;
  readonly seconds: number;
  /** Per consumer: ms from each request's 201 at the client to the commit of the consumer's transaction that applied its event. */
  readonly delays: ReadonlyMap<string, number[]>;
  /** On PostgreSQL's clock, from the start of the publisher's transaction (outbox.created_at): to the start of the relay's pass that published it (outbox.sent_at). */
  readonly relayDelays: number[];
  /** Per consumer, on PostgreSQL's clock, from the start of the publisher's transaction to the start of the consumer's transaction (inbox.processed_at). */
  readonly serverDelays: ReadonlyMap<string, number[]>;
}

/**
 * Hears the moment each consumer commits an event: a trigger on its inbox
 * (where the event's id is written in the same transaction as its effect)
 * calls pg_notify, which PostgreSQL delivers when that transaction commits,
 * i.e. when the effect becomes visible. The trigger is the only thing added
 * to the running system; it costs each consumer transaction one NOTIFY.
 */
export class AppliedEvents {
  private readonly applied = new Map<string, Map<string, number>>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly event: string,
    private readonly idField: string,
    private readonly clients: ReadonlyMap<string, pg.Client>,
  ) {
    for (const [service, client] of clients) {
      const times = new Map<string, number>();
      this.applied.set(service, times);
      client.on('notification', (message) => {
        times.set(message.payload ?? '', performance.now());
        for (const wake of this.waiters) wake();
      });
    }
  }

  /**
   * Listens on every consumer's database (`service` -> connection URL) for
   * `event` being applied; `idField` is the field of its data that carries the
   * id Placed names (`orderId` of OrderCreated).
   */
  static async listen(event: string, idField: string, consumers: ReadonlyMap<string, string>): Promise<AppliedEvents> {
    const clients = new Map<string, pg.Client>();
    try {
      for (const [service, url] of consumers) {
        const client = new pg.Client({ connectionString: url });
        clients.set(service, client);
        await client.connect();
        await client.query(`
          CREATE OR REPLACE FUNCTION ${channel}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            PERFORM pg_notify('${channel}', NEW.event_id::text);
            RETURN NULL;
          END $$;
          DROP TRIGGER IF EXISTS ${channel} ON inbox;
          CREATE TRIGGER ${channel} AFTER INSERT ON inbox FOR EACH ROW WHEN (NEW.type = '${event}') EXECUTE FUNCTION ${channel}();
          LISTEN ${channel};`);
      }
    } catch (error) {
      await Promise.all([...clients.values()].map((c) => c.end().catch(() => undefined)));
      throw error;
    }
    return new AppliedEvents(event, idField, clients);
  }

  /**
   * Sends `count` requests one after another through `place`; with
   * `waitForEach`, the next one only once every consumer applied the last
   * event (latency alone), otherwise as soon as its 201 arrived (latency while
   * events keep coming). `outbox` is the publisher's database.
   */
  async run(place: () => Promise<Placed>, outbox: pg.Client, count: number, waitForEach: boolean): Promise<DelayRun> {
    const base = new Map([...this.applied].map(([service, times]) => [service, times.size]));
    const allApplied = (n: number) => () => [...this.applied].every(([service, times]) => times.size >= base.get(service)! + n);
    const placed: Placed[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      placed.push(await place());
      if (waitForEach) await this.until(allApplied(i + 1), 10_000, `${this.event} ${i + 1} applied by every consumer`);
    }
    const seconds = (performance.now() - started) / 1000;
    await this.until(allApplied(count), 60_000, `${count} ${this.event} applied by every consumer`);

    const published = await outbox.query<{ id: string; data_id: string; ms: string; sent_ms: string }>(
      `SELECT id, envelope->'data'->>$2 AS data_id, extract(epoch FROM created_at) * 1000 AS ms, extract(epoch FROM sent_at) * 1000 AS sent_ms
       FROM outbox WHERE type = $1`,
      [this.event, this.idField],
    );
    const eventOf = new Map(published.rows.map((r) => [r.data_id, { id: r.id, ms: Number(r.ms), sentMs: Number(r.sent_ms) }]));
    const events = placed.map((p) => {
      const event = eventOf.get(p.id);
      if (!event) throw new Error(`${this.idField} ${p.id} has no ${this.event} in the outbox`);
      return { ...event, placedAt: p.at };
    });
    const delays = new Map<string, number[]>();
    const serverDelays = new Map<string, number[]>();
    for (const [service, client] of this.clients) {
      const inbox = await client.query<{ event_id: string; ms: string }>(
        'SELECT event_id, extract(epoch FROM processed_at) * 1000 AS ms FROM inbox WHERE type = $1',
        [this.event],
      );
      const processedAt = new Map(inbox.rows.map((r) => [r.event_id, Number(r.ms)]));
      const times = this.applied.get(service)!;
      delays.set(
        service,
        events.map((e) => {
          const at = times.get(e.id);
          if (at === undefined) throw new Error(`${service} never applied ${this.event} ${e.id}`);
          return at - e.placedAt;
        }),
      );
      serverDelays.set(service, events.map((e) => processedAt.get(e.id)! - e.ms));
    }
    return { orders: count, seconds, delays, relayDelays: events.map((e) => e.sentMs - e.ms), serverDelays };
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.end()));
  }

  private async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!done()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }
}
