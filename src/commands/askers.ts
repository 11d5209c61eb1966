/** Prompts whose choices come from the database, narrowed to what the acting account may do. */
import { districtsFor, type Action } from '../domain/core/index.js';
import { askChoice, type Asker } from './define.js';
import { session } from './session.js';

/** A district among those where the actor may do `action`. */
export function askDistrictFor(action: Action, message = '区域'): Asker {
  return async (ctx, answers) => {
    const { dir, who } = await session(ctx);
    return askChoice(message, districtsFor(dir, who, action).map((d) => ({ name: d.name, value: d.code })))(ctx, answers);
  };
}
