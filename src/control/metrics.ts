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
    new Counter({
      name: 'amphi_program_frames_total',
      help: 'program frames produced for live rooms (50 per second per live room in real time)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(program().framesEmitted);
      },
    });
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
    const fromDelivery = (name: string, help: string, read: (s: DeliveryStats) => number, kind: 'gauge' | 'counter') => {
      if (kind === 'gauge') {
        new Gauge({ name, help, registers: [this.registry], collect() { this.set(read(delivery())); } });
      } else {
        // a counter read from the hub's own running total: exposed as is, never incremented here
        new Counter({ name, help, registers: [this.registry], collect() { this.reset(); this.inc(read(delivery())); } });
      }
    };
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
    new Gauge({
      name: 'amphi_waiting',
      help: 'listeners waiting in line on this node',
      registers: [this.registry],
      collect() {
        this.set(admission.waiting);
      },
    });
    new Counter({
      name: 'amphi_admitted_total',
      help: 'listener joins admitted (rate() of it is admitted per second)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(admission.admittedTotal);
      },
    });
    new Gauge({
      name: 'amphi_event_loop_lag_seconds',
      help: 'p99 event-loop delay over the last admission tick',
      registers: [this.registry],
      collect() {
        this.set(admission.lagMs / 1000);
      },
    });
    new Gauge({
      name: 'amphi_ogg_listeners',
      help: 'listeners of live.ogg on this node',
      registers: [this.registry],
      collect() {
        this.set(oggListeners());
      },
    });
    // one count everywhere it is shown: the rooms' listeners on every node, as their views say; the
    // same on each node of a cluster (take max, not sum, across nodes), and this node's share beside it
    new Gauge({
      name: 'amphi_listeners',
      help: 'people connected to open rooms and not on a stage, on every node of the cluster, as room views count them (one node: its own)',
      registers: [this.registry],
      collect() {
        this.set(hub.openRooms().reduce((n, r) => n + hub.listenerCount(r.id), 0));
      },
    });
    new Gauge({
      name: 'amphi_cluster_nodes',
      help: 'nodes this node has a fresh presence report from, itself included (alert when it drops: a node died or lost NATS)',
      registers: [this.registry],
      collect() {
        this.set(clusterNodes());
      },
    });
    new Gauge({
      name: 'amphi_listeners_here',
      help: 'people connected to open rooms through this node and not on a stage (sum it across nodes)',
      registers: [this.registry],
      collect() {
        this.set(hub.openRooms().reduce((n, r) => n + hub.listenersHere(r.id), 0));
      },
    });
  }
}
