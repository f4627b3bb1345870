/* global module */
/**
 * The house rules, checked on the code's own imports (`npm run check:imports`, in CI).
 * docs/ARCHITECTURE.md explains the layers: kernel ← pipeline ← features ← app, http beside them.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle ties two modules into one: break it with a smaller shared module.',
      from: { path: '^(src|channels|console/src)/' },
      to: { circular: true },
    },
    {
      name: 'kernel-imports-no-layer-above',
      severity: 'error',
      comment:
        'The kernel is what every part may use; it uses no pipeline, feature, http or app code.',
      from: { path: '^src/kernel/' },
      to: { path: '^(src/(pipeline|features|http|app)/|channels/)' },
    },
    {
      name: 'pipeline-imports-no-feature',
      severity: 'error',
      comment: 'The customer path runs without the back office: features subscribe to its events.',
      from: { path: '^src/pipeline/' },
      to: { path: '^(src/(features|http|app)/|channels/)' },
    },
    {
      name: 'feature-imports-only-public-modules',
      severity: 'error',
      comment:
        'A feature may use another feature only through its public module (src/features/<x>/index.ts) or the event bus.',
      from: { path: '^src/features/([^/]+)/' },
      to: {
        path: '^src/features/',
        pathNot: ['^src/features/$1/', '^src/features/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'features-import-no-app',
      severity: 'error',
      comment: 'Features are wired by the composition root; they never import it.',
      from: { path: '^src/(features|pipeline|http)/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'http-imports-no-feature',
      severity: 'error',
      comment:
        'src/http is the server: nothing resource-specific. Features mount their own routes.',
      from: { path: '^src/http/' },
      to: { path: '^(src/(features|pipeline)/|channels/)' },
    },
    {
      name: 'channels-use-contracts',
      severity: 'error',
      comment:
        'A channel talks to Charla through the kernel contracts (InboundSink), not its features.',
      from: { path: '^channels/' },
      to: { path: '^src/(features|pipeline|app)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
