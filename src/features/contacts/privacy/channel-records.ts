/**
 * Records channels keep about a contact in their own collections (src/ does not import channel
 * modules): each is keyed by `contactId` and deleted on erasure; secret fields never leave in
 * an export. Today only the web chat's sessions (channels/webchat/session.model.ts).
 */
import mongoose, { type Types } from 'mongoose';

export const WEBCHAT_SESSIONS = 'webchatsessions';
const SECRET_FIELDS: Record<string, string[]> = { [WEBCHAT_SESSIONS]: ['tokenHash'] };

const collection = (name: string) => mongoose.connection.collection(name);

/** The contacts' records in a channel collection, without secret fields. */
export async function findChannelRecords(name: string, contactIds: Types.ObjectId[]) {
  const projection = Object.fromEntries((SECRET_FIELDS[name] ?? []).map((f) => [f, 0]));
  return collection(name)
    .find({ contactId: { $in: contactIds } }, { projection })
    .toArray();
}

/** Deletes the contacts' records in a channel collection; how many. */
export async function deleteChannelRecords(name: string, contactIds: Types.ObjectId[]) {
  return (await collection(name).deleteMany({ contactId: { $in: contactIds } })).deletedCount;
}
