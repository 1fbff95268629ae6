/**
 * @module metrics — Amphi's Prometheus metrics (prom-client), one registry per server so tests can run
 * several servers in one process. Gauges that describe the rooms are collected when scraped, from the
 * hub, so nothing is counted twice or on the hot path.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RoomHub } from './room-hub.ts';

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'status'>;
  readonly wsMessages: Counter<'direction'>;
  readonly errors: Counter<'code'>;

  constructor(hub: RoomHub) {
    collectDefaultMetrics({ register: this.registry, prefix: 'amphi_process_' });
    this.httpRequests = new Counter({ name: 'amphi_http_requests_total', help: 'HTTP requests by method and status', labelNames: ['method', 'status'], registers: [this.registry] });
    this.wsMessages = new Counter({ name: 'amphi_ws_messages_total', help: 'room WebSocket messages received from clients', labelNames: ['direction'], registers: [this.registry] });
    this.errors = new Counter({ name: 'amphi_errors_total', help: 'refused or failed requests by error code', labelNames: ['code'], registers: [this.registry] });
    new Gauge({
      name: 'amphi_rooms_live',
      help: 'rooms live now on this node',
      registers: [this.registry],
      collect() {
        this.set(hub.openRooms().filter((r) => r.status === 'live').length);
      },
    });
    new Gauge({
      name: 'amphi_rooms_backstage',
      help: 'rooms backstage on this node',
      registers: [this.registry],
      collect() {
        this.set(hub.openRooms().filter((r) => r.status === 'backstage').length);
      },
    });
    new Gauge({
      name: 'amphi_listeners',
      help: 'people connected to rooms on this node and not on a stage',
      registers: [this.registry],
      collect() {
        this.set(hub.openRooms().reduce((n, r) => n + hub.listenerCount(r.id), 0));
      },
    });
  }
}
