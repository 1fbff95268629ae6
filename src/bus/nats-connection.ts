/**
 * @module nats-connection — how every NATS seam of a node connects: to the servers listed in
 * AMPHI_NATS_URL (comma-separated, a NATS cluster), named after the seam and the node so the server's
 * monitoring tells them apart, and reconnecting for ever. A seam never gives NATS up: it comes back
 * with the server and renews its subscriptions by itself, so a NATS outage never needs Amphi restarted.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** `servers`: nats://host:port, or several separated by commas; `name`: the seam and node, as the server shows it */
export function connectNats(servers: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: servers.split(',').map((s) => s.trim()),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
}
