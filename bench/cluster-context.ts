/**
 * @module bench/cluster-context — what the cluster scenario runs against: the cluster's processes
 * (bench/cluster-nodes.ts), a live room whose host speaks into the lease holder from the other origin
 * (so the host's socket outlives the killed origin and follows the stage, as the web client does), the
 * load generator, and a NATS subscriber timing the hop. One way to measure a window (the edge under
 * load as the server, the origin's clock, the other processes' CPU, the hop), one join token per edge.
 * `withCluster` tears everything down, also when the scenario throws.
 */
import { followingTone, type StageTone } from '../test/support/tone-speaker.ts';
import { measureWindow, TOKEN_REUSE_MS, type BenchOptions } from './bench-context.ts';
import type { ClusterWindow } from './cluster-results.ts';
import { ClusterBenchError, startCluster, type BenchCluster, type ClusterNode } from './cluster-nodes.ts';
import { admittedUrl, openLiveRoom, type LiveRoom } from './live-room.ts';
import { Loadgen } from './loadgen-control.ts';
import { NatsHopProbe } from './nats-hop.ts';
import { note } from './progress.ts';
import { targetOfUrl, type RawWsTarget } from './raw-ws-client.ts';

export interface ClusterBench {
  readonly opts: BenchOptions;
  readonly cluster: BenchCluster;
  readonly loadgen: Loadgen;
  readonly room: LiveRoom;
  readonly hop: NatsHopProbe;
  /** the host's microphone: how many times it offered (it offers again when the stage moves) */
  readonly hostOffers: () => number;
  /** a socket URL with a join token from this edge (one token per edge, reused for half its life; `fresh`: a new one now) */
  target(edge: ClusterNode, fresh?: boolean): Promise<RawWsTarget>;
  /** the origin holding the room's lease now */
  origin(): Promise<ClusterNode>;
  /** one window with listeners on `edge` */
  measure(edge: ClusterNode, label: string, ms: number): Promise<ClusterWindow>;
}

/** starts the cluster, the room and the generator, runs `body`, and stops everything whatever happens */
export async function withCluster<T>(opts: BenchOptions, body: (c: ClusterBench) => Promise<T>): Promise<T> {
  note(`starting a cluster: nats-server and 2 origins on core ${opts.loadgenCore ?? 'any'}, ${opts.clusterEdges} edges on core ${opts.serverCore ?? 'any'}`);
  const cluster = await startCluster({
    repo: opts.repo,
    edges: opts.clusterEdges,
    edgeCore: opts.serverCore,
    originCore: opts.loadgenCore,
    batchMs: opts.batchMs,
    edgeEnv: opts.serverEnv,
  });
  let loadgen: Loadgen | null = null;
  let room: LiveRoom | null = null;
  let hop: NatsHopProbe | null = null;
  // set from inside the room's set-up, read on the way out: a holder TypeScript does not narrow to null
  const stage: { tone: StageTone | null } = { tone: null };
  try {
    const [first] = cluster.origins;
    if (first === undefined) throw new ClusterBenchError('no origin started');
    room = await openLiveRoom(first.proc.url, 440, {
      // the host's socket goes to the origin that does not hold the room: it outlives a kill of the holder
      stageBase: async (roomId) => {
        const holder = await cluster.leaseHolder(roomId);
        const other = cluster.origins.find((o) => o.name !== holder);
        if (other === undefined) throw new ClusterBenchError('only one origin: nobody could take the room over');
        return other.proc.url;
      },
      speaker: async (sock, hz) => (stage.tone = await followingTone(sock, hz)),
    });
    loadgen = await Loadgen.start(opts.repo, opts.loadgenCore);
    hop = await NatsHopProbe.open(cluster.nats.url, room.roomId);
    note(`room ${room.roomId} live; origins ${cluster.origins.map((o) => `${o.name} pid ${o.proc.pid}`).join(', ')}; edges ${cluster.edges.map((e) => `${e.name} pid ${e.proc.pid}`).join(', ')}; nats pid ${cluster.nats.pid()}; generator pid ${loadgen.pid}`);
    return await body(context(opts, cluster, loadgen, room, hop, () => stage.tone?.offers ?? 0));
  } catch (err) {
    for (const n of [...cluster.origins, ...cluster.edges]) note(`${n.name} log tail:\n${n.proc.logTail().slice(-6).join('\n')}`);
    throw err;
  } finally {
    await hop?.close().catch(() => undefined);
    if (loadgen !== null) await loadgen.stop();
    stage.tone?.close();
    room?.close();
    await cluster.stop();
  }
}

function context(opts: BenchOptions, cluster: BenchCluster, loadgen: Loadgen, room: LiveRoom, hop: NatsHopProbe, hostOffers: () => number): ClusterBench {
  const tokens = new Map<string, { url: string; at: number }>();
  const origin = async (): Promise<ClusterNode> => {
    const name = await cluster.leaseHolder(room.roomId);
    const node = cluster.origins.find((o) => o.name === name);
    if (node === undefined) throw new ClusterBenchError(`the room's lease is held by ${name}, which is no origin of this bench`);
    return node;
  };
  return {
    opts,
    cluster,
    loadgen,
    room,
    hop,
    hostOffers,
    origin,
    // as in the fan-out: one admitted token serves every socket of a step, so the edge's waiting line
    // does not decide how many listeners a step gets; each edge signs its own
    target: async (edge, fresh = false) => {
      let t = tokens.get(edge.name);
      if (fresh || t === undefined || Date.now() - t.at > TOKEN_REUSE_MS) {
        t = { url: await admittedUrl(edge.proc.url, room.roomId), at: Date.now() };
        tokens.set(edge.name, t);
      }
      return targetOfUrl(t.url);
    },
    measure: async (edge, label, ms) => {
      const o = await origin();
      const rest = cluster.edges.filter((e) => e !== edge && e.alive);
      hop.reset();
      const { window, others } = await measureWindow({
        server: { pid: edge.proc.pid, url: edge.proc.url },
        program: { pid: o.proc.pid, url: o.proc.url },
        loadgen,
        label,
        ms,
        others: [o.proc.pid, cluster.nats.pid(), ...rest.map((e) => e.proc.pid)],
      });
      const [originUse, natsUse, ...edgeUse] = others;
      if (originUse === undefined || natsUse === undefined) throw new ClusterBenchError('a process was not measured');
      return { window, origin: originUse, nats: natsUse, otherEdges: edgeUse, hop: hop.window() };
    },
  };
}
