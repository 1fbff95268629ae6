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
      name: 'pure-layers-no-packages',
      severity: 'error',
      comment: 'domain and lib use no packages; protocol only zod (schemas shared with the browser)',
      from: { path: '^src/(domain|lib|protocol)/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/zod/' },
    },
    {
      name: 'domain-lib-no-zod',
      severity: 'error',
      comment: 'the rules are plain TypeScript: validation of input shapes belongs to protocol',
      from: { path: '^src/(domain|lib)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^node_modules/' },
    },
    {
      name: 'web-imports-only-protocol',
      severity: 'error',
      comment: 'web/ shares only src/protocol with the server (protocol re-exports the room vocabulary it needs)',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: ['^src/protocol/'] },
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
    exclude: { path: '^web/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
