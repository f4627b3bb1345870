/** Segments (docs/console-api.md): /api/segments. */
import { api } from '../../api/client';

export { CHANNELS } from '../../api/types';
export const STATUSES = ['new', 'contacted', 'qualified', 'won', 'lost'] as const;

export interface SegmentFilter {
  tags?: string[];
  channels?: string[];
  language?: 'es' | 'en';
  consent?: 'granted' | 'withheld';
  scoreMin?: number;
  scoreMax?: number;
  lastContactFrom?: string;
  lastContactTo?: string;
  lastContactWithinDays?: number;
  hasOpenCase?: boolean;
  intents?: string[];
  statuses?: string[];
}

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  filter: SegmentFilter;
  count: number;
  createdBy: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface SegmentInput {
  name: string;
  description: string | null;
  filter: SegmentFilter;
}

const at = (id: string) => `/api/segments/${encodeURIComponent(id)}`;

export const listSegments = () => api<{ items: Segment[]; total: number }>('/api/segments');
export const createSegment = (body: SegmentInput) =>
  api<Segment>('/api/segments', { method: 'POST', body });
export const updateSegment = (id: string, body: SegmentInput) =>
  api<Segment>(at(id), { method: 'PUT', body });
export const deleteSegment = (id: string) => api<void>(at(id), { method: 'DELETE' });
export const countSegment = (filter: SegmentFilter) =>
  api<{ count: number }>('/api/segments/count', { method: 'POST', body: { filter } });
