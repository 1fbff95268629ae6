/**
 * @module peer-config — how a stage peer's ICE is allowed to connect, turned into werift's config.
 * Loopback (tests, dev) and a public deployment differ only in these values: the address ICE binds its
 * UDP sockets to, the addresses it advertises (AMPHI_RTC_IP, never the machine's other interfaces) and
 * a candidate-pair filter. It must never open sockets itself.
 */
import { RTCRtpCodecParameters, type RTCPeerConnectionConfig } from 'werift';

export interface StagePeerConfig {
  /** Local candidate addresses ICE may pair from; omit to allow any. */
  readonly allowedLocalAddresses?: readonly string[];
  /** Remote candidate addresses ICE may pair with; omit to allow any (clients are everywhere). */
  readonly allowedRemoteAddresses?: readonly string[];
  /** Addresses advertised as host candidates in addition to the interfaces' own. */
  readonly additionalHostAddresses?: readonly string[];
  /** Advertise only `additionalHostAddresses`, none of the interfaces' own addresses. */
  readonly onlyAdditionalHostAddresses?: boolean;
  /** The one local address ICE binds its UDP sockets to; omit to bind every interface (0.0.0.0). */
  readonly bindAddress?: string;
  readonly useIpv6?: boolean;
  /**
   * The UDP ports ICE may bind (AMPHI_RTC_PORTS), so a firewall can name them; omit for any ephemeral
   * port. werift takes the lowest free one (8 peers answering at once got 8 distinct ports); a second
   * process on the same range could race it between its probe and its bind, so give each node its own.
   */
  readonly icePortRange?: readonly [number, number];
  readonly iceServers?: readonly { readonly urls: string; readonly username?: string; readonly credential?: string }[];
  /** How long `acceptOffer` waits for ICE gathering before answering (non-trickle). */
  readonly iceGatheringTimeoutMs?: number;
}

/** Everything on 127.0.0.1: tests, benches and a single-machine dev setup (DESIGN §3). */
export const LOOPBACK_PEER_CONFIG: StagePeerConfig = {
  allowedLocalAddresses: ['127.0.0.1'],
  allowedRemoteAddresses: ['127.0.0.1'],
  additionalHostAddresses: ['127.0.0.1'],
  onlyAdditionalHostAddresses: true,
  bindAddress: '127.0.0.1',
  useIpv6: false,
};

/**
 * Media on AMPHI_RTC_IP and nowhere else: it is the only address advertised, and the sockets are bound
 * to it when it is one of this machine's (`localAddresses`). A public address behind NAT is not, and a
 * socket cannot bind to it: then the sockets listen on every interface, and still only it is advertised.
 */
export function peerConfigForAddress(rtcIp: string, localAddresses: readonly string[], ports: readonly [number, number] | null = null): StagePeerConfig {
  const range = ports === null ? {} : { icePortRange: ports };
  if (rtcIp === '127.0.0.1') return { ...LOOPBACK_PEER_CONFIG, ...range };
  return {
    additionalHostAddresses: [rtcIp],
    onlyAdditionalHostAddresses: true,
    ...(localAddresses.includes(rtcIp) && { bindAddress: rtcIp }),
    useIpv6: false,
    ...range,
  };
}

export function toWeriftConfig(c: StagePeerConfig): RTCPeerConnectionConfig {
  const local = c.allowedLocalAddresses ? new Set(c.allowedLocalAddresses) : null;
  const remote = c.allowedRemoteAddresses ? new Set(c.allowedRemoteAddresses) : null;
  return {
    // werift gathers the interfaces' addresses only when asked for IPv4/IPv6 host addresses
    iceUseIpv4: c.onlyAdditionalHostAddresses !== true,
    iceUseIpv6: c.onlyAdditionalHostAddresses !== true && (c.useIpv6 ?? false),
    iceInterfaceAddresses: c.bindAddress === undefined ? undefined : { udp4: c.bindAddress },
    iceAdditionalHostAddresses: c.additionalHostAddresses ? [...c.additionalHostAddresses] : undefined,
    iceFilterCandidatePair:
      local || remote
        ? (pair) => (!local || local.has(pair.localCandidate.host)) && (!remote || remote.has(pair.remoteCandidate.host))
        : undefined,
    icePortRange: c.icePortRange ? [c.icePortRange[0], c.icePortRange[1]] : undefined,
    iceServers: c.iceServers ? c.iceServers.map((s) => ({ ...s })) : [],
    // Opus only: what browsers offer for speech, and what the mixer decodes.
    codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2 })] },
  };
}
