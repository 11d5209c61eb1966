import type { CoachView } from '../../domain/enterprises/index.js';

/** The JSON shape of a coaching item (docs/cli.md). */
export function coachJson(i: CoachView) {
  return {
    id: i.id,
    code: i.code,
    name: i.name,
    district: i.district,
    item: i.item,
    org: i.org,
    category: i.category,
    due: i.due,
    status: i.status,
    added_on: i.added_on,
    closed_on: i.closed_on,
    note: i.note,
    overdue: i.overdue,
  };
}
