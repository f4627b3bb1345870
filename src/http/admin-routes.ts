// PLACEHOLDER until the admin API lands.
import type { FastifyInstance } from 'fastify';
import type { CharlaServices } from '../app.js';
export function mountAdminRoutes(_server: FastifyInstance, _services: CharlaServices): void {}
