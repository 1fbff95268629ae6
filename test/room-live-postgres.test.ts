/** Runs the room live-state scenarios on one node on PostgreSQL (127.0.0.1:5432/test), each server in a schema of its own. */
import { afterAll, describe } from 'vitest';
import { openPostgresStore } from '../src/store/postgres.ts';
import { dropSchemas, PG_TEST_URL, postgresForTests, testSchemaName } from '../src/store/pg-availability.test-helper.ts';
import { oneNodeSite } from './support/live-site.ts';
import { runRoomLiveScenarios } from './room-live.scenarios.ts';

const up = await postgresForTests();
const schemas: string[] = [];
afterAll(() => dropSchemas(PG_TEST_URL, schemas));

describe.skipIf(!up)('on PostgreSQL', () => {
  runRoomLiveScenarios(
    'PostgreSQL',
    oneNodeSite((reopen) => {
      if (!reopen) schemas.push(testSchemaName('live'));
      return openPostgresStore(PG_TEST_URL, { schema: schemas[schemas.length - 1] ?? 'public' });
    }),
  );
});
