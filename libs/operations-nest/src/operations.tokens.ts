/** The operator surface (`/ops/*`): StoryOperations from @stockade/operations. */
export const OPERATIONS_FACADE = Symbol('StoryOperations');
/** The dead-letter routes of the operator surface (`/ops/dlq*`): DeadLetterOperations. */
export const DEAD_LETTERS_FACADE = Symbol('DeadLetterOperations');
/** The read-model rebuilds of the operator surface (`/ops/rebuild*`): RebuildOperations. */
export const REBUILD_FACADE = Symbol('RebuildOperations');
