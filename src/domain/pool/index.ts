/** The district list (名单, docs/workflow.md): capacity, confirmation into it, and filing. */
export { activeOn, confirmIntoPool, filingStatus, poolStatus, recordFiling, setCapacity, visiblePools, type PoolStatus } from './pool.js';
