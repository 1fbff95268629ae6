/**
 * @module test/support/netns-host — a second host on this machine for tests of what crosses a network:
 * a network namespace joined to this one by a veth pair (10.x.y.1 here, 10.x.y.2 there), whose outgoing
 * traffic to us a test shapes with nftables: everything, TCP only (a hotel network that drops UDP),
 * or UDP with a share of its packets dropped. The test makes it and removes it; `available()` says in
 * one line why it cannot be made where namespaces are not allowed. Test code only; it never touches
 * any interface or rule it did not create.
 */
import { spawnSync } from 'node:child_process';

export type NetworkMode = { readonly kind: 'open' } | { readonly kind: 'tcpOnly' } | { readonly kind: 'lossyUdp'; readonly dropPct: number };

function run(args: readonly string[], input?: string): string {
  const r = spawnSync(args[0] ?? '', args.slice(1), { encoding: 'utf8', input });
  if (r.error) throw new Error(`${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

export class NetnsHost {
  readonly name: string;
  /** our side of the veth: the address the namespace reaches this machine at */
  readonly hostIp: string;
  readonly nsIp: string;
  readonly #veth: string;
  #removed = false;

  private constructor(tag: string, subnet: number) {
    this.name = `amphi-${tag}`;
    this.#veth = `am${tag}`;
    this.hostIp = `10.${200 + (subnet >> 8)}.${subnet & 0xff}.1`;
    this.nsIp = `10.${200 + (subnet >> 8)}.${subnet & 0xff}.2`;
  }

  /** null when this machine lets a test make a namespace with veth and nftables, else the reason */
  static unavailable(): string | null {
    for (const tool of ['ip', 'nft']) if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
    const probe = `amphi-probe${process.pid}`;
    const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
    if (r.status !== 0) return `ip netns add failed: ${(r.stderr || r.error?.message || '').trim()}`;
    spawnSync('ip', ['netns', 'del', probe]);
    return null;
  }

  static create(): NetnsHost {
    const tag = `${process.pid % 10_000}${Math.floor(Math.random() * 100)}`.slice(0, 8);
    const h = new NetnsHost(tag, Math.floor(Math.random() * 40 * 256));
    try {
      run(['ip', 'netns', 'add', h.name]);
      run(['ip', 'link', 'add', `${h.#veth}a`, 'type', 'veth', 'peer', 'name', `${h.#veth}b`]);
      run(['ip', 'link', 'set', `${h.#veth}b`, 'netns', h.name]);
      run(['ip', 'addr', 'add', `${h.hostIp}/30`, 'dev', `${h.#veth}a`]);
      run(['ip', 'link', 'set', `${h.#veth}a`, 'up']);
      run(['ip', '-n', h.name, 'addr', 'add', `${h.nsIp}/30`, 'dev', `${h.#veth}b`]);
      run(['ip', '-n', h.name, 'link', 'set', `${h.#veth}b`, 'up']);
      run(['ip', '-n', h.name, 'link', 'set', 'lo', 'up']);
      h.setMode({ kind: 'open' });
    } catch (err) {
      h.remove();
      throw err;
    }
    return h;
  }

  /** what leaves the namespace towards this machine from now on (replies to established flows always pass) */
  setMode(mode: NetworkMode): void {
    const allow =
      mode.kind === 'open'
        ? 'accept'
        : mode.kind === 'tcpOnly'
          ? 'ip protocol tcp accept\n    counter drop'
          : `udp dport 0-65535 numgen random mod 100 < ${Math.round(mode.dropPct)} counter drop\n    accept`;
    const rules = `table inet amphi\ndelete table inet amphi\ntable inet amphi {\n  chain out {\n    type filter hook output priority 0; policy accept;\n    oif "lo" accept\n    ${allow}\n  }\n}\n`;
    run(['ip', 'netns', 'exec', this.name, 'nft', '-f', '-'], rules);
  }

  /** a command line that runs `argv` inside the namespace */
  wrap(argv: readonly string[]): string[] {
    return ['ip', 'netns', 'exec', this.name, ...argv];
  }

  /** idempotent: deleting the namespace deletes its end of the veth, and with it ours */
  remove(): void {
    if (this.#removed) return;
    this.#removed = true;
    spawnSync('ip', ['netns', 'del', this.name]);
    spawnSync('ip', ['link', 'del', `${this.#veth}a`]);
  }
}
