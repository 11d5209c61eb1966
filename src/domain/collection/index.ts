/** The monthly collection (月度报送, docs/workflow.md): the workbooks made and returned, and monthly feedback. */
export { collectionDeadline, COLUMNS, FEEDBACK_TITLE, ITEM_STATES, LOAN_KINDS, metaRows, prefilledRows, SHEET, sheetsOf, titleText, unitLine, YES_NO, type Meta, type SheetKind } from './book.js';
export { addFeedback, feedbackHistory, feedbackImportSpec, lateFeedback, listMissingFeedback, missingFeedback } from './feedback.js';
export { collectImportSpec } from './import.js';
export { monthSpan, UNIT_KIND_LABEL, type UnitContent } from './units.js';
export { collectionOverdue, collectionStatus, prepareCollection, recordMade, type CollectionOverdue } from './workbooks.js';
