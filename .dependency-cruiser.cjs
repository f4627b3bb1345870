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
        pathNot: [
          '^src/features/$1/',
          '^src/features/[^/]+/index\\.ts$',
          // A feature's schema file is public: its API shapes (a case shows its messages).
          '^src/features/[^/]+/schemas\\.ts$',
        ],
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
      name: 'only-routes-import-http',
      severity: 'error',
      comment:
        'Services throw domain errors (src/kernel/errors.ts) and know nothing of HTTP; only the modules that mount routes (routes.ts, *-routes.ts, *-route.ts, mount.ts, index.ts) use src/http. Type-only imports of the ports src/http declares (guard.Authenticator) are allowed.',
      from: {
        path: '^src/features/',
        // schemas.ts: a feature's API shapes may use the shared pieces of src/http/schemas.ts (the
        // schema rule below keeps that file zod-only).
        pathNot: '(^|/)(routes|[^/]+-routes?|mount|index|schemas)\\.ts$',
      },
      to: { path: '^src/http/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'channels-use-contracts',
      severity: 'error',
      comment:
        'A channel talks to Charla through the kernel contracts (InboundSink), not its features.',
      from: { path: '^channels/' },
      to: { path: '^src/(features|pipeline|app)/' },
    },
    // The console and the server's shapes (console/README.md): one declaration, types shared.
    {
      name: 'console-imports-only-schemas-and-roles',
      severity: 'error',
      comment:
        'console/src takes from src/ only schema files and the live-event shapes (their types) and the dependency-free kernel tables (roles, vocabulary).',
      from: { path: '^console/src/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/(features/[^/]+|http)/schemas\\.ts$',
          // a feature's sub-folder declares its own shapes (auth/two-factor, auth/sso)
          '^src/features/[^/]+/[^/]+/schemas\\.ts$',
          '^src/kernel/(roles|vocabulary|schema-helpers|console-event-types)\\.ts$',
        ],
      },
    },
    {
      name: 'console-imports-schemas-as-types',
      severity: 'error',
      comment:
        'A schema file is zod at run time: the console imports its types only (import type).',
      from: { path: '^console/src/' },
      to: {
        path: '^src/((features/[^/]+|http)/schemas|kernel/console-event-types)\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'schema-files-import-only-schemas',
      severity: 'error',
      comment:
        'The console compiles schema files: they import only zod, other schema files and the dependency-free kernel tables.',
      from: { path: '^src/(features/[^/]+|http)/schemas\\.ts$' },
      to: {
        pathNot: [
          '^node_modules/zod/',
          '^src/(features/[^/]+|http)/schemas\\.ts$',
          '^src/kernel/(roles|vocabulary|schema-helpers)\\.ts$',
        ],
      },
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
