/**
 * The canned-replies feature's public module (issue 19.4): shared and personal replies per
 * language, with variables filled on insertion; routes in routes.ts, shapes in schemas.ts.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { mountCannedRoutes } from './routes.js';

/** The `{{variable}}` filling (missing values left out, text tidied): campaigns reuse it. */
export { fillVariables } from './service.js';

export const cannedRepliesFeature = defineFeature<KernelContext>({
  name: 'canned-replies',
  create() {
    return { mount: (server) => mountCannedRoutes(server) };
  },
});
