export { backupDatabase, copyDatabase, describeBackup, maintainer, migrateDatabase, planCopy, restoreDatabase } from './maintenance.js';
export { addAdminToExisting, type AdminInput, initDatabase } from './setup.js';
