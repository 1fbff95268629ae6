/**
 * @module main — reads the configuration and wires Amphi together: the store (SQLite or PostgreSQL),
 * the bus, the room hub and clock, the services and the HTTP/WebSocket server. The only module that
 * knows every part and picks implementations. `startAmphi` is also what integration tests start, on
 * port 0, so they run the real server.
 */
import { networkInterfaces } from 'node:os';
import { pathToFileURL } from 'node:url';
import { asRoomId, asUserId } from './domain/ids.ts';
import { pino, type Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { AmphiError, isStoreOutage } from './control/errors.ts';
import { openSeams } from './seams.ts';
import { ProgramDelivery } from './control/program-delivery.ts';
import type { Bus } from './bus/types.ts';
import { AccountService, DEFAULT_LIMITS } from './control/account-service.ts';
import { Metrics } from './control/metrics.ts';
import { RoomClock } from './control/room-clock.ts';
import { RoomHub } from './control/room-hub.ts';
import { LISTEN_TICKET_MS, RoomService } from './control/room-service.ts';
import { buildNotifyStack, type NotifyStack } from './control/notify-stack.ts';
import { loadNotifyConfig, type NotifyConfig } from './config-notify.ts';
import { UserDirectory } from './control/user-directory.ts';
import { RoomMedia } from './control/room-media.ts';
import { RoomPlacement } from './control/room-placement.ts';
import { drain, type DrainResult } from './control/drain.ts';
import { Admission } from './control/admission.ts';
import { BlockCache } from './control/block-cache.ts';
import { LineEndpoint } from './transport/line-endpoint.ts';
import { OggBroadcast } from './delivery/ogg-broadcast.ts';
import { StreamHub } from './delivery/stream-hub.ts';
import { peerConfigForAddress, type StagePeerConfig } from './media/index.ts';
import { StageRooms } from './media/stage-rooms.ts';
import { StageIce } from './control/stage-ice.ts';
import { ThreadProducer } from './media/producer-thread.ts';
import { openStore } from './store/open-store.ts';
import { ListenerEndpoint } from './transport/listener-endpoint.ts';
import type { Store } from './store/types.ts';
import { buildHttpApp } from './transport/http-app.ts';
import { RoomSocketServer } from './transport/room-socket.ts';
import { listen, type RunningServer } from './transport/server.ts';
import { AudienceFeed } from './control/audience-feed.ts';
import { UwsListenerServer } from './transport/listener-server-uws.ts';
import { directJoins } from './transport/direct-join.ts';
import { directOriginFor, listenerOriginFor, pageAllowedFor, ticketOriginFor } from './transport/listener-origin.ts';
import { anonymousTickets } from './transport/anonymous-ticket.ts';
import { NodePresence } from './control/node-presence.ts';
import { StagePresence } from './control/stage-presence.ts';
import { EdgeRouter } from './control/edge-router.ts';

export const VERSION = '0.1.0';

export interface Amphi {
  readonly url: string;
  readonly port: number;
  /** the uWebSockets.js listener port (0 when listeners use `ws` on the main port) */
  readonly listenPort: number;
  readonly store: Store;
  readonly clock: RoomClock;
  /** notifications, fan-out, webhooks, scheduling (tests step them directly) */
  readonly notify: NotifyStack;
  /** sends this node's listeners to other nodes, paced, before a shutdown (SIGTERM does it) */
  drain(): Promise<DrainResult>;
  /**
   * resolves once what this node published on the cluster's NATS has reached the server and what the
   * server sent it before has been handled (seams.ts); at once on a single node. Tests stepping a
   * cluster's nodes in one process wait on it rather than sleep.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly log?: Logger;
  readonly now?: () => number;
  /** start the periodic tick (tests may step `clock.tick()` themselves instead) */
  readonly autoTick?: boolean;
  /** an already opened store (tests use an isolated PostgreSQL schema); otherwise one is opened from config */
  readonly store?: Store;
  /** go-live notices and webhooks (config-notify.ts); defaults when left out */
  readonly notify?: NotifyConfig;
}

export async function startAmphi(config: Config, opts: StartOptions = {}): Promise<Amphi> {
  const log = opts.log ?? pino({ level: config.logLevel });
  const now = opts.now ?? Date.now;
  const store = opts.store ?? await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onBackgroundError: (err: unknown) => log.error({ err }, 'database connection error'),
    // once per outage: at error when it starts, at warn when it ends (so a warn-level view shows both ends)
    onOutage: ({ message, ...e }) => (e.kind === 'lost' ? log.error(e, message) : log.warn(e, message)),
  });
  const seams = await openSeams(config, log, { now, listenTokenMs: LISTEN_TICKET_MS });
  const bus = seams.bus;
  const users = new UserDirectory(store);
  // a room's count and reactions are the cluster's: this node's plus the other nodes' (none on one node)
  const hub = new RoomHub(users, (roomId) => seams.presence.listenersElsewhere(roomId), (counts) => seams.presence.shareReactions(counts));
  seams.presence.onReactions((counts) => {
    for (const [roomId, c] of counts) hub.addReactions(roomId, c);
  });
  bus.subscribe((msg) => hub.onBus(msg));
  // removals and blocks end access at once: sockets close, earlier listen tokens are refused
  const revocations = seams.revocations;
  revocations.subscribe((r) => hub.revoke(r));
  const blocks = new BlockCache(store, now);
  const accounts = new AccountService(store, now, blocks, {
    ...DEFAULT_LIMITS,
    signUpsPerAddress: { max: config.signUpsPerHour, windowMs: 60 * 60_000 },
  });
  // the hard ceiling behind the waiting line: admitted places may still be connecting
  let lineText = (): string => '';
  // set once the listener port is bound; nothing asks before
  let originOf = (_host: string | undefined): string => '';
  let ticketOriginOf = (_host: string | undefined): string | null => null;
  let directOrigin: string | null = null;
  let pageAllowed = (_origin: string, _host: string | undefined): boolean => false;
  let countTicket = (_status: number): void => undefined;
  const lineSockets = Math.max(1000, config.maxWaiting);
  // uWebSockets.js serves listeners on a port of its own: its native topic publish is the fan-out
  const uws = config.listenerSockets === 'uws' ? new UwsListenerServer({ secret: config.secret, now, log, revocations, lineText: () => lineText(), maxLineSockets: lineSockets, origin: (host) => originOf(host), pageAllowed: (o, host) => pageAllowed(o, host), countTicket: (status) => countTicket(status) }) : null;
  const streams = new StreamHub({
    batchMs: config.batchMs,
    now,
    maxListeners: Math.ceil(config.maxListeners * 1.1) + 100,
    levels: [
      { batchMs: config.busyBatchMs, aboveListeners: config.busyListeners },
      { batchMs: config.peakBatchMs, aboveListeners: config.peakListeners },
    ],
    // a joiner hears one batch of the level in use at once instead of waiting up to a batch for the
    // next, and its player learns from it how far apart batches come (the longest level bounds it)
    primeFrames: config.peakBatchMs / 20,
    ...(uws !== null && { createFanout: uws.fanoutFactory() }),
  });
  uws?.attach(streams);
  const ogg = new OggBroadcast({ packetsPerPage: config.batchMs / 20 });
  let line: LineEndpoint | null = null;
  const admission = new Admission({
    config: { maxListeners: config.maxListeners, joinsPerSecond: config.joinRate, maxWaiting: config.maxWaiting, maxLagMs: config.maxLagMs },
    secret: config.secret,
    now,
    listeners: () => streams.listenerCount() + ogg.listeners(),
    deliveryDuty: () => streams.deliveryDuty(),
    maxDeliveryDuty: config.maxDeliveryDuty,
    broadcast: (text, admittedUpTo) => (uws !== null ? uws.broadcastLine(text, admittedUpTo) : line?.broadcast(text)),
  });
  lineText = () => admission.lineText();
  if (uws === null) line = new LineEndpoint(lineText, lineSockets);
  const rooms = new RoomService({ store, bus, hub, users, now, secret: config.secret, admission, blocks, revocations, onReport: (roomId, by) => log.info({ roomId, by }, 'report received') });
  blocks.onBlocked((blocker, blocked) => rooms.revokeBlocked(blocker, blocked));
  // a listening page's one socket carries the room too: no control socket per listener
  const feed = new AudienceFeed({ hub, streams, handRaised: (roomId, userId) => rooms.handRaised(roomId, userId), onError: (err, roomId) => log.warn({ err, roomId }, 'hand read for a listener failed') });
  hub.useAudience(feed);
  uws?.serveFeed(feed);
  let skippedTicks = (_ticks: number): void => undefined;
  // the edge's half: streams open for tracked rooms, frames from the relay to listeners
  const delivery = config.nodeRole === 'origin' ? null : new ProgramDelivery({ relay: seams.relay, streams, ogg });
  if (delivery !== null) bus.subscribe((msg) => delivery.onBus(msg));
  // which open rooms this node is the origin of (an edge is origin of none)
  let placement: RoomPlacement | null = null;
  const media = new RoomMedia({
    relay: seams.relay,
    router: seams.router,
    claim: (roomId) => placement?.claim(roomId) ?? Promise.resolve(false),
    onError: (err, roomId) => log.warn({ err, roomId }, 'media error'),
    onSkipped: (roomId, ticks) => {
      skippedTicks(ticks);
      log.error({ roomId, ticks }, `the program's clock fell behind and dropped ${ticks * 20} ms of the room's audio`);
    },
  });
  // the program's producer (stage peers, mixer, its 20 ms clock) runs where no fan-out burst can hold it
  const producerOptions = { peer: peerConfigFor(config.rtcIp, config.rtcPorts), bitrate: config.opusBitrate };
  // an edge produces no program: it has no stage, and offers to it are refused (not_on_stage)
  const producer = config.nodeRole === 'edge' ? null : config.mediaThread === 'worker' ? new ThreadProducer(producerOptions, media.events()) : new StageRooms(producerOptions, media.events());
  // every node tracks the open rooms' states: a member's requests are routed from wherever their socket is
  bus.subscribe((msg) => media.onBus(msg));
  seams.router.onMember((roomId, userId, msg) => hub.sendTo(asRoomId(roomId), userId, msg));
  seams.router.onStageSound((roomId, sound) => media.heardSound(asRoomId(roomId), sound));
  if (producer !== null) {
    media.attach(producer);
    // a node takes no offer before its program thread runs (loading it takes a second or more on a busy machine)
    if (producer instanceof ThreadProducer) await producer.ready;
    const p = new RoomPlacement({
      leases: store.leases,
      nodeId: config.nodeId,
      now,
      openRooms: () => hub.openRooms().flatMap((r) => (r.status === 'backstage' || r.status === 'live' ? [r.id] : [])),
      lead: (roomId, epoch, takeover) => {
        log.info({ roomId, epoch, takeover }, takeover ? "took over the room's stage and program" : "leads the room's stage and program");
        media.lead(roomId, epoch, takeover);
      },
      yield: (roomId) => {
        log.warn({ roomId }, "another node holds the room's lease now: its stage and program stop here");
        media.yield(roomId);
      },
      onError: (err, roomId) => log.warn({ err, roomId }, 'room lease could not be claimed'),
    });
    placement = p;
    // a room that opens is claimed at once, not at the next renewal
    bus.subscribe((msg) => {
      if (msg.type === 'roomOpened' && (msg.state.status === 'backstage' || msg.state.status === 'live')) void p.claim(msg.roomId);
    });
  }
  // a blocked speaker stays on the stage in the room's state, but their microphone must go at once
  revocations.subscribe((r) => media.unpublish(r.roomId, r.userId));
  const notify = buildNotifyStack({
    store,
    bus,
    userPush: seams.userPush,
    rooms,
    users,
    now,
    log,
    secret: config.secret,
    publicUrl: config.publicUrl,
    // notices bring joins: the fan-out never outpaces what this node admits, and eases off while people wait in line
    admission: { get waiting() { return admission.waiting; }, joinsPerSecond: config.joinRate },
    ...(opts.notify ?? loadNotifyConfig({})),
  });
  // a signed-in person arriving in a live room counts once per room toward the go-live waves
  hub.onPersonJoined((state, userId) => notify.countListen(state, userId));
  const metrics = new Metrics(hub, () => streams.stats(), () => ogg.listeners(), admission, () => producer?.stats() ?? { rooms: 0, framesEmitted: 0, skippedTicks: 0 }, () => seams.presence.others().length + 1);
  skippedTicks = (ticks) => metrics.skippedTicks.inc(ticks);
  countTicket = (status) => metrics.httpRequests.inc({ method: 'GET', status: String(status) });
  const listeners = uws === null ? new ListenerEndpoint({ streams, secret: config.secret, now, log, revocations, feed }) : null;
  bus.subscribe((msg) => (uws ?? listeners)?.onBus(msg));
  // this node's counts for the other nodes, and the edge each admitted listener is sent to (one node: itself)
  const nodePresence = new NodePresence({ presence: seams.presence, nodeId: config.nodeId, role: config.nodeRole, capacity: config.maxListeners, listenOrigin: () => originOf(undefined), hub, streams, ogg, onError: (err) => log.warn({ err }, 'presence report failed') });
  const edges = new EdgeRouter({ presence: seams.presence, here: (roomId) => nodePresence.loadIn(roomId) });
  const clock = new RoomClock(hub, rooms, config.tickMs, now, (roomId) => media.takeSound(roomId, now()), (roomId) => media.leads(roomId), (err, roomId) => log.error({ err, roomId }, 'room tick failed'), (roomId) => media.dueAutoMutes(roomId, now()));
  // "connected" on the stage follows the members' sockets on whichever node holds them, and a member
  // whose node died is marked away by the room's origin (cluster only: one node sees every socket)
  const stagePresence = new StagePresence({
    hub,
    others: () => seams.presence.others(),
    leads: (roomId) => media.leads(roomId),
    act: async (roomId, userId, type) => {
      await rooms.act(roomId, { kind: 'user', userId }, { type });
    },
    onError: (err, roomId) => log.warn({ err, roomId }, "could not mend a stage member's presence"),
  });
  bus.subscribe((msg) => stagePresence.onBus(msg));

  // a single node restarting held every stage socket: they died with it. In a cluster other nodes may
  // hold them; the room's origin marks away whoever no node holds (stage-presence.ts)
  await resumeOpenRooms(store, rooms, bus, log, seams.kind === 'local');

  const drainNode = async (): Promise<DrainResult> => {
    // no ticket, here or on another node, names this node again
    nodePresence.drain();
    const r = await drain(streams);
    if (r.moved > 0 || r.left > 0) log.info(r, `drained: ${r.moved} listeners sent to other nodes in ${r.ms} ms, ${r.left} left`);
    return r;
  };
  const app = buildHttpApp({
    admin: {
      token: config.adminToken,
      drain: () => {
        // a single node has nowhere to send its listeners: they would come straight back to a node refusing them
        if (seams.kind === 'local') return Promise.reject(new AmphiError('single_node', 'This node is not in a cluster: there is no other node to send its listeners to. Stop it instead.'));
        return drainNode();
      },
    },
    accounts,
    rooms,
    notify,
    metrics,
    log,
    publicUrl: config.publicUrl,
    publicUrlSet: config.publicUrlSet,
    listenerOrigin: (host) => originOf(host),
    ticketOrigin: (host) => ticketOriginOf(host),
    edgeFor: (roomId, avoid) => edges.edgeFor(roomId, avoid),
    directOrigin: () => directOrigin,
    ogg,
    version: VERSION,
    revocations,
    now,
    health: async () => {
      try {
        await store.getUser(asUserId('health-check'));
        return { ok: true, store: store.kind };
      } catch (err) {
        if (!isStoreOutage(err)) log.error({ err }, 'health check: store unreachable');
        return { ok: false, store: store.kind };
      }
    },
  });
  const stageIce = new StageIce(config.turnSecret === null ? null : { urls: config.turnUrls, secret: config.turnSecret, ttlS: config.turnTtlS }, () => Date.now());
  const sockets = new RoomSocketServer({ accounts, rooms, hub, media, stageIce, metrics, log, publicUrl: config.publicUrl, publicUrlSet: config.publicUrlSet, now, revocations });
  uws?.serveTickets(anonymousTickets(rooms, log, (roomId, avoid) => edges.edgeFor(roomId, avoid)));
  uws?.serveDirect({ join: directJoins(rooms, log), reached: (n) => admission.reached(n), letIn: () => admission.letIn() });
  const listenPort = uws === null ? 0 : await uws.listen(config.host, config.listenPort);
  const originConfig = { sockets: config.listenerSockets, listenPort, listenUrl: config.listenUrl, publicUrl: config.publicUrl, publicUrlSet: config.publicUrlSet };
  originOf = listenerOriginFor(originConfig);
  ticketOriginOf = ticketOriginFor(originConfig);
  pageAllowed = pageAllowedFor(originConfig);
  // an origin (role origin) carries no listeners: its pages ask for tickets, which name an edge
  directOrigin = config.nodeRole === 'origin' ? null : directOriginFor(originConfig);
  let server: RunningServer;
  try {
    server = await listen(app, [...(listeners === null ? [] : [listeners]), ...(line === null ? [] : [line]), sockets], config.host, config.port);
  } catch (err) {
    uws?.close();
    throw err;
  }
  admission.start();
  placement?.start();
  // a single node has nobody to report to, and sees every stage socket itself
  if (seams.kind === 'nats') {
    nodePresence.start();
    stagePresence.start();
  }
  await notify.start();
  if (opts.autoTick !== false) clock.start();
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${server.port}`;
  log.info({ url, listenPort, store: store.kind, dataDir: config.dataDir, nodeId: config.nodeId, role: config.nodeRole, bus: seams.kind }, `Amphi is listening on ${url}${listenPort > 0 ? ` (listeners' audio sockets on port ${listenPort})` : ''}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port: server.port,
    listenPort,
    store,
    clock,
    notify,
    settle: () => seams.flush(),
    drain: async () => {
      // a single node has nowhere to send its listeners: it closes them at once, as before
      if (seams.kind === 'local') return { moved: 0, left: streams.listenerCount(), ms: 0 };
      return drainNode();
    },
    close: () =>
      (closing ??= (async () => {
        clock.stop();
        nodePresence.stop();
        stagePresence.stop();
        await notify.close();
        admission.stop();
        uws?.close();
        await server.close();
        // the rooms' leases are given up so another node takes them at once, not in LEASE_TTL_MS
        await placement?.stop();
        media.close();
        delivery?.close();
        await producer?.shutdown();
        await seams.close();
        await store.close();
      })()),
  };
}

/**
 * After a restart, rooms that were backstage or live carry on: the hub tracks them again, and (on a
 * single node, `markStageAway`) every stage member counts as disconnected from now (their sockets died
 * with the old process) so the host's grace period and the co-host take-over work as after any
 * disconnection.
 */
async function resumeOpenRooms(store: Store, rooms: RoomService, bus: Bus, log: Logger, markStageAway: boolean): Promise<void> {
  const open = await store.listRooms(['backstage', 'live'], 10_000);
  for (const listed of open) {
    // read again with its version: it may have changed since the list was taken
    const found = await store.getRoomVersioned(listed.id);
    if (found === null || found.state.status === 'ended') continue;
    const { state, version } = found;
    bus.publish({ type: 'roomOpened', roomId: state.id, state, version });
    if (!markStageAway) continue;
    for (const m of state.stage.filter((s) => s.connected)) {
      await rooms.act(state.id, { kind: 'user', userId: m.userId }, { type: 'disconnect' }).catch((err: unknown) => log.warn({ err, roomId: state.id }, 'could not mark a member away after restart'));
    }
  }
  if (open.length > 0) log.info({ rooms: open.length }, 'resumed open rooms');
}

/** WebRTC only on AMPHI_RTC_IP: 127.0.0.1 keeps it on this machine (DESIGN §3) */
function peerConfigFor(rtcIp: string, ports: readonly [number, number] | null): StagePeerConfig {
  const local = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  return peerConfigForAddress(rtcIp, local, ports);
}

async function main(): Promise<void> {
  let config: Config;
  let notifyConfig: NotifyConfig;
  try {
    config = loadConfig(process.env);
    notifyConfig = loadNotifyConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`amphi: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let amphi: Amphi;
  try {
    amphi = await startAmphi(config, { notify: notifyConfig });
  } catch (err) {
    // a port taken is the operator's to fix: one line, like a bad setting
    if (err instanceof AmphiError && err.code === 'unavailable') {
      process.stderr.write(`amphi: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // SIGTERM: the listeners move to other nodes first (a cluster keeps them); SIGINT: at once
  const stop = (signal: NodeJS.Signals) => {
    (signal === 'SIGTERM' ? amphi.drain().then(() => amphi.close()) : amphi.close()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`amphi: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
