/**
 * What assignment keeps: teams (members, languages, routing), each staff member's presence and
 * when they were last given a conversation automatically (the round-robin's turn order) and
 * their own capacity when an admin set one, and the per-agent capacity (Setting `assignment`).
 */
import { Schema, model, type Types } from 'mongoose';
import { Setting } from '../../kernel/db/models/setting.js';
import { DEFAULT_CAPACITY, type Presence } from './schemas.js';

const teamSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    members: { type: [Schema.Types.ObjectId], default: [] },
    languages: { type: [String], default: [] },
    intents: { type: [String], default: [] },
    flows: { type: [String], default: [] },
  },
  { timestamps: true },
);
export interface TeamDoc {
  _id: Types.ObjectId;
  name: string;
  members: Types.ObjectId[];
  languages: string[];
  intents: string[];
  flows: string[];
  createdAt: Date;
}
export const Team = model('Team', teamSchema, 'teams');

const presenceSchema = new Schema(
  {
    /** The staff id (`user:<user id>`). */
    _id: { type: String, required: true },
    status: { type: String, enum: ['available', 'away'], required: true },
    /** The last automatic assignment: the longest without one is next (round-robin). */
    lastAssignedAt: { type: Date, default: null },
    /** This agent's own capacity, set by an admin (null: the install's `assignment` setting). */
    capacity: { type: Number, default: null },
  },
  { timestamps: true, versionKey: false },
);
export interface PresenceDoc {
  _id: string;
  status: Presence;
  lastAssignedAt: Date | null;
  capacity?: number | null;
  updatedAt?: Date;
}
export const StaffPresence = model('StaffPresence', presenceSchema, 'staff_presence');

const SETTING = 'assignment';

export async function readCapacity(): Promise<number> {
  const doc = await Setting.findById(SETTING).lean<{ value?: { capacity?: number } }>();
  return doc?.value?.capacity ?? DEFAULT_CAPACITY;
}

export async function writeCapacity(capacity: number): Promise<void> {
  await Setting.updateOne({ _id: SETTING }, { $set: { value: { capacity } } }, { upsert: true });
}
