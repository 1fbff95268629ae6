/**
 * @module delivery-stats — the counters of listener delivery as plain numbers, for the metrics module
 * to read with hub.stats(). Mutated in the hot path by simple increments only; never reset.
 */
export interface DeliveryCounters {
  /** batches encoded: one per batch per stream, whatever the number of listeners */
  batchesEncoded: number;
  /** messages handed to sockets (shared batches, catch-ups and stream-state notices) */
  socketWrites: number;
  /** frames not sent to a listener because its socket was over the backpressure bound */
  framesSkipped: number;
  /** listeners closed with 4008 because they stayed too slow */
  slowCloses: number;
  /** sends or buffer reads that threw; the listener is closed, never retried */
  socketErrors: number;
  catchUpBatches: number;
  joinsResumed: number;
  joinsLive: number;
  joinsRejectedOverCapacity: number;
  joinsRejectedNoStream: number;
  /** frames published to a stream that is not open (e.g. just closed) and dropped */
  framesForUnknownStream: number;
}

export interface DeliveryStats extends Readonly<DeliveryCounters> {
  readonly streams: number;
  readonly listeners: number;
  /** the batch length streams use now (longer while the node is busy) */
  readonly batchMs: number;
  /** ms spent writing batches since start (the publish queue) */
  readonly publishBusyMs: number;
  /** share of wall time spent writing over the last second */
  readonly publishDuty: number;
  /** times a batch's writes let the loop go before they were all done */
  readonly publishSlices: number;
}

export const newCounters = (): DeliveryCounters => ({
  batchesEncoded: 0,
  socketWrites: 0,
  framesSkipped: 0,
  slowCloses: 0,
  socketErrors: 0,
  catchUpBatches: 0,
  joinsResumed: 0,
  joinsLive: 0,
  joinsRejectedOverCapacity: 0,
  joinsRejectedNoStream: 0,
  framesForUnknownStream: 0,
});
