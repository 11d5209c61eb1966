/**
 * Who sees which report: the whole city, or one district. A district's own staff see their own district
 * without naming it; a unit without a district of its own (a department, a bank) sees no report.
 */
import type { Region } from '../store/reference.js';
import { authorize, scopeRegions, type Actor } from './actor.js';
import type { Directory } from './directory.js';

/** The district a report covers (undefined: the whole city), checked against the actor's scope. */
export function reportRegion(dir: Directory, who: Actor, district?: string): Region | undefined {
  const own = scopeRegions(who);
  if (district === undefined && own?.length === 1) district = dir.regionName(own[0]!);
  const region = district ? dir.district(district) : undefined;
  authorize(who, 'report.read', region ? { region: region.code, regionName: region.name } : {});
  if (own !== undefined && !region) authorize(who, 'report.read', { region: '', regionName: '全市' });
  return region;
}
