import { Schema, model } from 'mongoose';

/** Who did what to which record: merges, consent changes, staff actions, admin edits. */
const auditEntrySchema = new Schema(
  {
    action: { type: String, required: true, index: true },
    /** `user:<id>`, `admin-token`, `customer`, `system` or `ip:<hash>` (failed logins). */
    actor: { type: String, required: true, index: true },
    actorName: String,
    targetType: { type: String, required: true },
    targetId: { type: String, required: true, index: true },
    /** The changed fields before and after, personal data masked (src/kernel/audit.ts). */
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed },
    details: { type: Schema.Types.Mixed },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
auditEntrySchema.index({ createdAt: -1 });
export const AuditEntry = model('AuditEntry', auditEntrySchema);
