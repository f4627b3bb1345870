/** The sequences calls of the console (docs/console-api.md, "Sequences"). */
import { call } from '../../api/client';
import type { BodyOf } from '../../api/endpoints';

export const listSequences = () => call('GET /api/sequences');

export const createSequence = (body: BodyOf<'POST /api/sequences'>) =>
  call('POST /api/sequences', { body });

export const updateSequence = (id: string, body: BodyOf<'PATCH /api/sequences/:id'>) =>
  call('PATCH /api/sequences/:id', { params: { id }, body });

export const deleteSequence = (id: string) => call('DELETE /api/sequences/:id', { params: { id } });

export const listEnrolments = (id: string) =>
  call('GET /api/sequences/:id/enrolments', { params: { id } });

export const stopEnrolment = (id: string, enrolmentId: string) =>
  call('POST /api/sequences/:id/enrolments/:enrolmentId/stop', { params: { id, enrolmentId } });

export const contactSequences = (id: string) =>
  call('GET /api/contacts/:id/sequences', { params: { id } });
