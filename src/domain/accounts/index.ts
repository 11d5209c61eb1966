/** Accounts (docs/roles.md): the organisations, the operator accounts and their database logins. */
export { grantLogins } from './logins.js';
export { addOrg, orgImportSpec, seedEzhou } from './orgs.js';
export { listBatches, listUsers, parseRole, prepareUserImport, recordReveal, ROLE_LABEL, setAgreement, setEnabled, showUser, USER_COLUMNS, usersToManage, validLogin, validPersonName } from './users.js';
