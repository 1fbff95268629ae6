/** Runs the room live-state scenarios on one node on the default store: SQLite files in a temp directory. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { oneNodeSite } from './support/live-site.ts';
import { runRoomLiveScenarios } from './room-live.scenarios.ts';

let last = '';
runRoomLiveScenarios(
  'SQLite',
  oneNodeSite((reopen) => {
    if (!reopen) last = join(mkdtempSync(join(tmpdir(), 'amphi-live-')), 'amphi.db');
    return openSqliteStore(last);
  }),
);
