/** The audit log (人民银行 only): reading it and verifying its hash chain. */
export { auditHead, auditLog, parseAnchor, verifyAudit } from './auditing.js';
