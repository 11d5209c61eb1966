/** The shared kernel: who acts and what they may do, the organisations, the rules, identifiers, stages and the case every step loads. */
export { audit, authorize, loadProfile, scopeRegions, type Actor } from './actor.js';
export { addHistory, caseTarget, caseVisibility, checkStepDate, loadCase, mayRead, noVisibleCase, noVisibleItem, recordStep, recordSteps, required, visibleCase, type Step } from './cases.js';
export { coachingOrgs, districtsFor, recommendingDepartments, recommendingDistricts } from './choices.js';
export { Directory, orgKindOrThrow, parseDeptKind, parseOrgKind } from './directory.js';
export { endedItemMessage, ITEM_STATE_LABEL, itemState, type ItemState } from './item-state.js';
export { checkIdNumber, checkUscc, maskId, maskPhone, normaliseMobile, validEmail, withUsccCheck } from './ids.js';
export { decide, IMPORT_LABEL, readScope, ROLE_LABEL, unitCovers, type Action, type ImportKind, type Profile, type ReadScope } from './policy.js';
export { DEPARTMENT_KINDS, EZHOU_REGIONS, ezhouOrgs, ORG_KIND_LABEL, type OrgKind } from './reference.js';
export { checkEntryDate, EntryDates, monthIsFinal } from './entry-dates.js';
export { reportingUnit } from './reporting-unit.js';
export { bankMonthsOwed, DEFAULT_CAPACITY, FEEDBACK_DUE_DAY, feedbackDeadline, MAX_LOAN_CENTS, QUOTA_PER_YEAR, STALL_DAYS, VACANCY_DAYS } from './rules.js';
export { CLASS_LABEL, classOn, inEffectOrder, isOpen, NEXT_STEP, parseClass, parseStage, requireStage, STAGE_LABEL, verifiedClass, type CaseClass, type ClassChange, type Stage } from './stages.js';
export { codec, defineRecord, field, fromCellText, optionKey, type OptionKeyOf, type FilledOf, type IdentityOf, type InSheetOf, type Parsed, type RowOf, type SameShape, type ValuesOf } from './record.js';
