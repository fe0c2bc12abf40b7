/**
 * The sidebar's and the menu's server functions, bundled apart from the custom functions into
 * Server.html (see main.ts `server()`): Sheets loads Code.js on every custom-function call, and none of
 * this is needed there.
 */

import type * as firstRun from './firstrun';
import type * as main from './main';
import type { SidebarServer } from './protocol';
import type * as server from './server';

export { pullContacts } from './contact-log';
export { dueThisWeek, formatByTier, insertExample } from './firstrun';
export { holdoutCheck } from './holdout';
export {
  configHistory,
  createLinkCode,
  refreshConfig,
  restoreLastGood,
  rollbackConfig,
  saveConfig,
  setDataRange,
  sheetData,
  sidebarState,
  syncChunk,
  syncCommit,
} from './server';

/** Proof for the compiler that these functions are the protocol the sidebar calls. */
type Implements<T extends SidebarServer> = T;
export type ServerProof = Implements<typeof server & typeof firstRun & Pick<typeof main, 'holdoutCheck'>>;
