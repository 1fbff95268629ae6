/**
 * @module network-badge — the small indicator hosts and co-hosts see on each stage member: a dot
 * coloured by the server's verdict on that member's network (good, fair, poor), grey and pulsing while
 * they reconnect, red when they cannot connect at all, with an "R" when their audio goes through a
 * relay, and the same in words for screen readers. Draws what the server sent; never measures.
 */
import type { StageNetworkView } from '../../../src/protocol/stage-network.ts';

/** the member's network in a few words, for the tile's label and the badge's tooltip */
export function networkWords(n: StageNetworkView): string {
  if (n.link === 'reconnecting') return 'reconnecting';
  if (n.link === 'unreachable') return 'cannot connect';
  if (n.link === 'connecting') return 'connecting';
  const figures = [n.rttMs === null ? null : `${n.rttMs} ms`, n.lossPct === null ? null : `${n.lossPct.toFixed(1)}% loss`, n.jitterMs === null ? null : `${n.jitterMs} ms jitter`].filter(Boolean).join(', ');
  return `network ${n.level ?? 'measuring'}${n.path === 'relayed' ? ', relayed' : ''}${figures ? ` (${figures})` : ''}`;
}

export function NetworkBadge({ network }: { network: StageNetworkView }) {
  const kind = network.link === 'connected' ? (network.level ?? 'measuring') : network.link;
  return (
    <span className={`net-badge net-${kind}`} title={networkWords(network)} aria-hidden="true" data-net={kind}>
      {network.link === 'connected' && network.path === 'relayed' ? 'R' : ''}
    </span>
  );
}
