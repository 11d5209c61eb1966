/** Whole databases: creating one with its first administrator; upgrade, backup, restore and copy. */
export { backupDatabase, copyDatabase, describeBackup, maintainer, migrateDatabase, planCopy, restoreDatabase } from './maintenance.js';
export { addAdminToExisting, initDatabase, programmeStartOf, type AdminInput } from './setup.js';
