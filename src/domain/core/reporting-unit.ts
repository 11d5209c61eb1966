/**
 * The unit a form or report names as its 填报单位 and signs: for one district, that district's 金融办 (which
 * runs the work there); otherwise the acting user's own unit (人民银行鄂州市分行 for the city).
 */
import type { Actor } from './actor.js';
import type { Directory } from './directory.js';

export function reportingUnit(dir: Directory, who: Actor, regionCode?: string): string {
  const office = regionCode && regionCode !== dir.city?.code ? dir.financeOffice(regionCode) : undefined;
  if (office) return office.name;
  if (who.profile) return who.profile.org.name;
  return dir.orgs.find((o) => o.kind === 'pboc')?.name ?? '';
}
