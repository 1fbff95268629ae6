/** Runs the room live-state scenarios on the default store: SQLite files in a temp directory. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { runRoomLiveScenarios } from './room-live.scenarios.ts';

let last = '';
runRoomLiveScenarios('SQLite', {
  open: (reopen) => {
    if (!reopen) last = join(mkdtempSync(join(tmpdir(), 'amphi-live-')), 'amphi.db');
    return openSqliteStore(last);
  },
});
