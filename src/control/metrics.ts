/**
 * @module metrics — Amphi's Prometheus metrics (prom-client), one registry per server so tests can run
 * several servers in one process. Gauges that describe the rooms are collected when scraped, from the
 * hub, so nothing is counted twice or on the hot path.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RoomHub } from './room-hub.ts';
import type { Admission } from './admission.ts';
import type { DeliveryStats } from '../delivery/delivery-stats.ts';
import type { ProducerStats } from '../media/producer.ts';

/**
 * how often prom-client samples the loop for amphi_process_nodejs_eventloop_lag_*; those figures are whole
 * intervals (this period plus the lateness), as Node's histogram records them
 */
export const PROCESS_LAG_SAMPLE_MS = 100;

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'status'>;
  readonly wsMessages: Counter<'direction'>;
  readonly errors: Counter<'code'>;
  /** program time dropped by a room's clock: the first thing to alert on (docs/operations.md) */
  readonly skippedTicks: Counter;

  /** `clusterNodes`: the nodes this one hears from, itself included (presence; 1 on a single node) */
  constructor(hub: RoomHub, delivery: () => DeliveryStats, oggListeners: () => number, admission: Admission, program: () => ProducerStats, clusterNodes: () => number = () => 1) {
    // prom-client samples the loop's delay every 10 ms by default, a timer wake-up 100 times a second
    // on top of admission's own sampling (amphi_event_loop_lag_seconds); 100 ms keeps its histogram.
    collectDefaultMetrics({ register: this.registry, prefix: 'amphi_process_', eventLoopMonitoringPrecision: PROCESS_LAG_SAMPLE_MS });
    this.httpRequests = new Counter({ name: 'amphi_http_requests_total', help: 'HTTP requests by method and status', labelNames: ['method', 'status'], registers: [this.registry] });
    this.wsMessages = new Counter({ name: 'amphi_ws_messages_total', help: 'room WebSocket messages received from clients', labelNames: ['direction'], registers: [this.registry] });
    this.errors = new Counter({ name: 'amphi_errors_total', help: 'refused or failed requests by error code', labelNames: ['code'], registers: [this.registry] });
    this.skippedTicks = new Counter({
      name: 'amphi_program_skipped_ticks_total',
      help: "20 ms frames of program time a room's clock dropped because it fell more than 100 ms behind (every listener missed them): alert on any increase",
      registers: [this.registry],
    });
    // a value read when scraped: a gauge as it is, a counter from a running total kept elsewhere
    // (exposed as is, never incremented here)
    const exposed = (name: string, help: string, read: () => number, kind: 'gauge' | 'counter'): void => {
      if (kind === 'gauge') new Gauge({ name, help, registers: [this.registry], collect() { this.set(read()); } });
      else new Counter({ name, help, registers: [this.registry], collect() { this.reset(); this.inc(read()); } });
    };
    exposed('amphi_program_frames_total', 'program frames produced for live rooms (50 per second per live room in real time)', () => program().framesEmitted, 'counter');
    exposed('amphi_rooms_live', 'rooms live now on this node', () => hub.openRooms().filter((r) => r.status === 'live').length, 'gauge');
    exposed('amphi_rooms_backstage', 'rooms backstage on this node', () => hub.openRooms().filter((r) => r.status === 'backstage').length, 'gauge');
    const fromDelivery = (name: string, help: string, read: (s: DeliveryStats) => number, kind: 'gauge' | 'counter') => exposed(name, help, () => read(delivery()), kind);
    fromDelivery('amphi_audio_listeners', 'listener audio sockets on this node', (s) => s.listeners, 'gauge');
    fromDelivery('amphi_audio_streams', 'program streams open on this node', (s) => s.streams, 'gauge');
    fromDelivery('amphi_delivery_duty', 'share of wall time spent writing audio batches over the last second (at 1 delivery falls behind real time; joins wait above AMPHI_MAX_DELIVERY_PERCENT)', (s) => s.publishDuty, 'gauge');
    fromDelivery('amphi_delivery_publish_seconds_total', 'time spent writing audio batches to listener sockets', (s) => s.publishBusyMs / 1000, 'counter');
    fromDelivery('amphi_delivery_slices_total', "times a batch's writes let the event loop go before they were done (big audiences)", (s) => s.publishSlices, 'counter');
    fromDelivery('amphi_audio_batch_ms', 'program audio per listener message now, ms (longer while the node is busy)', (s) => s.batchMs, 'gauge');
    fromDelivery('amphi_audio_batches_encoded_total', 'audio batches encoded (once per batch per stream, whatever the audience)', (s) => s.batchesEncoded, 'counter');
    fromDelivery('amphi_audio_socket_writes_total', 'audio messages written to listener sockets', (s) => s.socketWrites, 'counter');
    fromDelivery('amphi_audio_frames_skipped_total', 'frames skipped for listeners whose connection fell behind', (s) => s.framesSkipped, 'counter');
    fromDelivery('amphi_audio_slow_closes_total', 'listeners disconnected for staying too slow (close 4008)', (s) => s.slowCloses, 'counter');
    fromDelivery('amphi_audio_joins_resumed_total', 'listener joins that resumed from their last frame', (s) => s.joinsResumed, 'counter');
    fromDelivery('amphi_audio_joins_live_total', 'listener joins that started at live', (s) => s.joinsLive, 'counter');
    exposed('amphi_waiting', 'listeners waiting in line on this node', () => admission.waiting, 'gauge');
    exposed('amphi_admitted_total', 'listener joins admitted (rate() of it is admitted per second)', () => admission.admittedTotal, 'counter');
    exposed('amphi_event_loop_lag_seconds', 'p99 event-loop delay over the last admission tick', () => admission.lagMs / 1000, 'gauge');
    exposed('amphi_ogg_listeners', 'listeners of live.ogg on this node', oggListeners, 'gauge');
    // one count everywhere it is shown: the rooms' listeners on every node, as their views say; the
    // same on each node of a cluster (take max, not sum, across nodes), and this node's share beside it
    exposed('amphi_listeners', 'people connected to open rooms and not on a stage, on every node of the cluster, as room views count them (one node: its own)', () => hub.openRooms().reduce((n, r) => n + hub.listenerCount(r.id), 0), 'gauge');
    exposed('amphi_listeners_here', 'people connected to open rooms through this node and not on a stage (sum it across nodes)', () => hub.openRooms().reduce((n, r) => n + hub.listenersHere(r.id), 0), 'gauge');
    exposed('amphi_cluster_nodes', 'nodes this node has a fresh presence report from, itself included (alert when it drops: a node died or lost NATS)', clusterNodes, 'gauge');
  }
}
