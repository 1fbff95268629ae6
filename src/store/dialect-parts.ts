/**
 * @module store/dialect-parts — what differs between SQLite and PostgreSQL for the Kysely stores:
 * error codes, whether to lock rows, what to retry. A type only; each dialect's file fills it in.
 */
export interface DialectParts {
  readonly kind: 'sqlite' | 'postgres';
  /** PostgreSQL: SELECT ... FOR UPDATE. SQLite: false, its single connection already serialises writers. */
  readonly lockRoomRow: boolean;
  readonly isUniqueViolation: (error: unknown) => boolean;
  readonly isForeignKeyViolation: (error: unknown) => boolean;
  /** serialisation failures and deadlocks: the whole transaction may be run again */
  readonly isRetryable: (error: unknown) => boolean;
  /** run after the Kysely instance is destroyed (e.g. drop a test schema); optional */
  readonly afterClose?: () => Promise<void>;
}
