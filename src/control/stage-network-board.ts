/**
 * @module stage-network-board — one room's stage network as this node knows it, for the hosts'
 * indicators: each stage member's last report from their browser (rtcQuality) with the domain's
 * verdict on it, "reconnecting" once their room socket is gone, and whether anything changed since
 * the hosts were last told. The hub sends it to hosts and co-hosts at most once a tick. Bounded by the
 * stage (13 entries), whatever the audience. It never trusts a client's verdict (it judges the figures
 * itself) and never keeps anyone who left the stage.
 */
import type { UserId } from '../domain/ids.ts';
import { assessNetwork } from '../domain/network-quality.ts';
import type { NetworkReport, StageNetworkView } from '../protocol/stage-network.ts';

/** rounded so a figure jittering by a fraction does not count as news for the hosts */
const round = (v: number | null, step: number): number | null => (v === null ? null : Math.round(v / step) * step);

function viewOf(userId: UserId, r: NetworkReport): StageNetworkView {
  const figures = { rttMs: round(r.rttMs, 1), lossPct: round(r.lossPct, 0.1), jitterMs: round(r.jitterMs, 1) };
  const verdict = r.link === 'connected' ? assessNetwork(figures) : null;
  return { userId, link: r.link, path: r.path, relayProtocol: r.relayProtocol, ...figures, level: verdict?.level ?? null, problem: verdict?.problem ?? null };
}

const same = (a: StageNetworkView | undefined, b: StageNetworkView): boolean =>
  a !== undefined && (Object.keys(b) as (keyof StageNetworkView)[]).every((k) => a[k] === b[k]);

export class StageNetworkBoard {
  readonly #entries = new Map<UserId, StageNetworkView>();
  #dirty = false;

  report(userId: UserId, r: NetworkReport): void {
    const next = viewOf(userId, r);
    if (same(this.#entries.get(userId), next)) return;
    this.#entries.set(userId, next);
    this.#dirty = true;
  }

  /** the member's last room socket closed: their microphone's link went with it, as far as the hosts can tell */
  socketGone(userId: UserId): void {
    const e = this.#entries.get(userId);
    if (e === undefined || e.link === 'reconnecting') return;
    this.#entries.set(userId, { ...e, link: 'reconnecting', level: null, problem: null });
    this.#dirty = true;
  }

  /** forgets everyone not on the stage any more */
  keepOnly(onStage: ReadonlySet<UserId>): void {
    for (const id of [...this.#entries.keys()]) {
      if (onStage.has(id)) continue;
      this.#entries.delete(id);
      this.#dirty = true;
    }
  }

  /** the entries in stage order when something changed since the last take, else null */
  take(order: readonly UserId[]): StageNetworkView[] | null {
    if (!this.#dirty) return null;
    this.#dirty = false;
    return this.snapshot(order);
  }

  snapshot(order: readonly UserId[]): StageNetworkView[] {
    return order.flatMap((id) => {
      const e = this.#entries.get(id);
      return e === undefined ? [] : [e];
    });
  }
}
