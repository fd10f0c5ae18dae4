/** The first migration of every service: the outbox its events wait in and the inbox that drops repeated deliveries. */
export const platformSql = `-- Class: additive: the tables every service starts with.
-- Runs in one transaction.

-- Events this service publishes wait here until the relay has handed them to the broker.
CREATE TABLE IF NOT EXISTS outbox (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  envelope jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  position bigserial NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (position) WHERE sent_at IS NULL;

-- Ids of the events this service has applied: a repeated delivery finds its id here and is dropped.
CREATE TABLE IF NOT EXISTS inbox (
  event_id uuid PRIMARY KEY,
  type text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
`;
