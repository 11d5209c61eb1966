/**
 * What a prompt may offer an actor: only choices the policy would accept, so a department's operator is
 * offered its own district and department, a district's 金融办 its own district, and so on.
 */
import type { Org, Region } from '../../store/reference.js';
import type { CaseRow } from '../../store/cases.js';
import type { Actor } from './actor.js';
import type { Directory } from './directory.js';
import { decide, type Action } from './policy.js';

/** Departments that may recommend in a district: its own and the city's. */
function departmentsFor(dir: Directory, region: Region): Org[] {
  return dir.orgs.filter((o) => o.kind === 'department' && (o.regionCode === region.code || o.regionCode === dir.city?.code));
}

/** The departments the actor may recommend as, in a district. */
export function recommendingDepartments(dir: Directory, who: Actor, region: Region): Org[] {
  if (!who.profile) return [];
  const profile = who.profile;
  return departmentsFor(dir, region).filter((o) => decide(profile, 'case.recommend', { region: region.code, regionName: region.name, deptOrgId: o.id }).ok);
}

/** The districts in which the actor may recommend for at least one department. */
export function recommendingDistricts(dir: Directory, who: Actor): Region[] {
  return dir.districts.filter((d) => recommendingDepartments(dir, who, d).length > 0);
}

/** Who a coaching item of this case may go to: the departments of its district and the city, and its lead bank. */
export function coachingOrgs(dir: Directory, c: CaseRow): Org[] {
  const region = dir.regionByCodeOrThrow(c.region_code);
  const lead = c.lead_bank_id ? [dir.orgByIdOrThrow(c.lead_bank_id)] : [];
  return [...departmentsFor(dir, region), ...lead];
}

/** The districts in which the actor may do `action` (pool confirm, filing, capacity …). */
export function districtsFor(dir: Directory, who: Actor, action: Action): Region[] {
  if (!who.profile) return [];
  const profile = who.profile;
  return dir.districts.filter((d) => decide(profile, action, { region: d.code, regionName: d.name }).ok);
}
