import { Schema, model } from 'mongoose';

/** Who did what to which record: merges, consent changes, staff actions, admin edits. */
const auditEntrySchema = new Schema(
  {
    action: { type: String, required: true, index: true },
    actor: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true, index: true },
    details: { type: Schema.Types.Mixed },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
export const AuditEntry = model('AuditEntry', auditEntrySchema);
