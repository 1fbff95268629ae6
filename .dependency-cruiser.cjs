/**
 * Import direction of DESIGN.md §2, checked in `npm test`:
 *   lib ← domain ← store;  lib ← protocol ← media ← delivery;  bus ← control;  control ← transport ← main.
 * protocol may also read domain's vocabulary (roles, codes): both are pure, and web/ reaches the
 * room's words only through protocol. domain, protocol and lib never touch I/O (no Node core modules).
 */
const only = (from, allowed) => ({
  name: `${from}-imports-only-${allowed.join('-') || 'itself'}`,
  severity: 'error',
  comment: `src/${from} may import only: ${allowed.map((a) => 'src/' + a).join(', ') || 'nothing else in src'}`,
  from: { path: `^src/${from}/` },
  to: { path: `^src/`, pathNot: [`^src/${from}/`, ...allowed.map((a) => `^src/${a}/`)] },
});

module.exports = {
  forbidden: [
    only('lib', []),
    only('domain', ['lib']),
    only('protocol', ['lib', 'domain']),
    only('store', ['lib', 'domain']),
    only('media', ['lib', 'protocol']),
    only('delivery', ['lib', 'protocol', 'media']),
    only('bus', ['lib', 'protocol', 'domain']),
    only('control', ['lib', 'domain', 'protocol', 'store', 'bus', 'media', 'delivery']),
    only('transport', ['lib', 'domain', 'protocol', 'control', 'store', 'bus', 'media', 'delivery']),
    {
      name: 'nothing-imports-main',
      severity: 'error',
      comment: 'main.ts wires everything; nothing in src may depend on it (tests start the server through it)',
      from: { path: '^src/' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'pure-layers-no-io',
      severity: 'error',
      comment: 'domain, protocol and lib are pure: no Node core modules',
      from: { path: '^src/(domain|protocol|lib)/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'web-imports-only-protocol',
      severity: 'error',
      comment: 'web/ shares only src/protocol (and what protocol itself reads) with the server',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: ['^src/protocol/', '^src/domain/', '^src/lib/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
