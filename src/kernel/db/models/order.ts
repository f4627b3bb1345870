import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { ORDER_STATUSES } from '../../vocabulary.js';
export { ORDER_STATUSES };

const orderItemSchema = new Schema(
  {
    sku: String,
    name: { type: String, required: true },
    quantity: { type: Number, required: true },
    /** In the order's currency. */
    unitPrice: Number,
  },
  { _id: false },
);

const statusEventSchema = new Schema(
  { at: { type: Date, required: true }, status: { type: String, enum: ORDER_STATUSES } },
  { _id: false },
);

/**
 * A customer's order, as the shop sent it (POST /api/orders, src/features/orders/): unique by the
 * shop's id, owned by one contact. `amount` is in `currency`; `baseAmount` is the same amount in
 * the install's BASE_CURRENCY, which every revenue and value figure reads.
 */
const orderSchema = new Schema(
  {
    externalId: { type: String, required: true, unique: true },
    /** What the customer calls it (defaults to the external id), normalised for the bot's lookup. */
    number: { type: String, required: true, index: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true, index: true },
    /** The address on the order (lower case): the bot asks an unknown visitor for it. */
    email: { type: String, lowercase: true, trim: true },
    placedAt: { type: Date, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    baseAmount: { type: Number, required: true },
    status: { type: String, enum: ORDER_STATUSES, default: 'placed' },
    trackingUrl: String,
    items: { type: [orderItemSchema], default: [] },
    /** Status changes, oldest first (the first one is the order's arrival). */
    history: { type: [statusEventSchema], default: [] },
    /** The case the bot opened for this order being late, when it did. */
    lateCaseId: { type: Schema.Types.ObjectId, ref: 'Case' },
  },
  { timestamps: true },
);

export type OrderDoc = InferSchemaType<typeof orderSchema> & { _id: Types.ObjectId };
export const Order = model('Order', orderSchema);
