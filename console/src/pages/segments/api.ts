/** Segments (docs/console-api.md): /api/segments. Shapes: src/features/leads/schemas.ts. */
import { call } from '../../api/client';
import type { SegmentFilter, SegmentInput } from '../../../../src/features/leads/schemas';

export type {
  SegmentFilter,
  SegmentInput,
  SegmentView as Segment,
} from '../../../../src/features/leads/schemas';
export { CHANNELS } from '../../api/types';
export { LEAD_STATUSES as STATUSES, RFM_SEGMENTS } from '../../../../src/kernel/vocabulary';

export const listSegments = () => call('GET /api/segments');
export const createSegment = (body: SegmentInput) => call('POST /api/segments', { body });
export const updateSegment = (id: string, body: SegmentInput) =>
  call('PUT /api/segments/:id', { params: { id }, body });
export const deleteSegment = (id: string) => call('DELETE /api/segments/:id', { params: { id } });
export const countSegment = (filter: SegmentFilter) =>
  call('POST /api/segments/count', { body: { filter } });
