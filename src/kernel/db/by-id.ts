/**
 * Reads by `_id` on the hot path through the model's native collection: the same raw document as
 * `Model.findById(id).lean()` (lean skips hydration and defaults alike) without building and
 * casting a mongoose Query. Still a mongoose collection call, so command hooks and buffering until
 * connected apply. An id that is no ObjectId goes the mongoose way and fails with its CastError.
 */
import { Types, type Model } from 'mongoose';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any>;

export async function leanById<T>(model: AnyModel, id: string | Types.ObjectId): Promise<T | null> {
  let _id: Types.ObjectId;
  if (id instanceof Types.ObjectId) _id = id;
  else if (typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id)) _id = new Types.ObjectId(id);
  else return model.findById(id).lean<T>();
  return (await model.collection.findOne({ _id })) as T | null;
}
