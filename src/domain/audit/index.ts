export { auditHead, auditLog, parseAnchor, verifyAudit } from './auditing.js';
