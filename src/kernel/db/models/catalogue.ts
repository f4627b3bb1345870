import { Schema, model } from 'mongoose';

/**
 * Published catalogue versions (the bot studio): each is a whole snapshot of intents and flows,
 * keyed by its number (`_id`), so loading one is an `_id` lookup on MongoDB and FerretDB alike.
 * Version 1 is the seeded catalogue; publishing or rolling back appends the next number.
 */
const catalogueVersionSchema = new Schema(
  {
    _id: { type: Number, required: true },
    intents: { type: [Schema.Types.Mixed], default: [] },
    flows: { type: [Schema.Types.Mixed], default: [] },
    publishedAt: { type: Date, required: true },
    /** `user:<id>`, `admin-token` or `seed`. */
    publishedBy: { type: String, required: true },
    publishedByName: String,
    summary: { type: Schema.Types.Mixed, required: true },
    /** The cross-validation report computed when it was published. */
    report: { type: Schema.Types.Mixed },
    /** Classifier options chosen once at publish (model selection); instances train with them. */
    classifier: { type: Schema.Types.Mixed },
  },
  { minimize: false, versionKey: false },
);
export const CatalogueVersionModel = model('CatalogueVersion', catalogueVersionSchema);

/**
 * The one draft (`_id: 'draft'`): the live catalogue plus the admins' unpublished edits. It
 * exists only while there are edits; publishing removes it, so the draft is the live catalogue
 * again.
 */
const catalogueDraftSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The live version the draft started from. */
    baseVersion: { type: Number, required: true },
    /** Bumped by every edit. */
    revision: { type: Number, required: true },
    intents: { type: [Schema.Types.Mixed], default: [] },
    flows: { type: [Schema.Types.Mixed], default: [] },
    updatedBy: String,
  },
  { timestamps: true, minimize: false, versionKey: false },
);
export const CatalogueDraftModel = model('CatalogueDraft', catalogueDraftSchema);

/** Messages an admin dismissed from the unanswered list (`_id` = the message id). */
const dismissedMessageSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    by: String,
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const DismissedMessageModel = model('DismissedMessage', dismissedMessageSchema);
