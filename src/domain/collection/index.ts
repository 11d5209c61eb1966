export { collectionDeadline, COLUMNS, FEEDBACK_TITLE, ITEM_STATES, LOAN_KINDS, type Meta, metaRows, prefilledRows, SHEET, type SheetKind, sheetsOf, titleText, unitLine, YES_NO } from './book.js';
export { addFeedback, feedbackHistory, feedbackImportSpec, lateFeedback, listMissingFeedback, missingFeedback } from './feedback.js';
export { collectImportSpec } from './import.js';
export { monthSpan, UNIT_KIND_LABEL, type UnitContent } from './units.js';
export { collectionOverdue, type CollectionOverdue, collectionStatus, prepareCollection, recordMade } from './workbooks.js';
