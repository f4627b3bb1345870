/** The studio's own errors; the catalogue routes map them to 400/404 answers. */
import type { IssueDetail } from './issues.js';
import type { DefinitionKind } from './validate.js';

/** A definition or draft that does not validate; `details` name each field and how to fix it. */
export class StudioValidationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: IssueDetail[],
  ) {
    super(message);
    this.name = 'StudioValidationError';
  }
}

export class NotInDraftError extends Error {
  constructor(
    readonly kind: DefinitionKind,
    readonly definitionName: string,
  ) {
    super(`${kind} "${definitionName}" is not in the draft`);
    this.name = 'NotInDraftError';
  }
}
